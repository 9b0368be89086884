"""Synthetic inputs for bench/matchers.py: padded gazetteers and texts with gold mentions.

Padding names are generated from Sahel-like syllables (places, people "X Ag Y", groups
"Katiba X", acronyms), kept unique after folding and away from ordinary words, so a
bigger gazetteer is harder (more near neighbours) without being nonsense. Texts mix
filler sentences written for this file with mentions of random entries; about a third of
mentions are perturbed the ways reports perturb names: dropped accents, a one-letter
typo, possessive, hyphen/space swap, case changes (all capitals, title case, lower-case
tail, title-case acronyms) and transliteration variants, one to three rules at once
(ou/u/w, dj/j, tch/ch, ch/sh, kh/k, gu/g, doubled letters, y/i, el-/al-/ul-/ed-, -ine/-in).

Must-not-match distractors are planted too and counted separately: the filler's own
("Since", "Dine" alone, lower-case "aes", "platform", "Malian"...) and, for each
gazetteer, ordinary English/French words one edit or one transliteration away from a
word of a name, written capitalised at a sentence's start and in lower case inside one.
A hit on a distractor is any predicted span overlapping it.
Everything is seeded, so every process regenerates the same inputs.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.gazetteer import Entry, Gazetteer, fold_key, load_gazetteer  # noqa: E402
from reader.matcher import common_words  # noqa: E402

SYLLABLES = ("ta tin in ou ag bou kel ma ka di sa ba ra ne ko lo za ga fa ha mi do se te ze la na "
             "ya wa ti ki mo go dja sou kou ndi ber tes gue fou dou sal mak dal hom bor ")
SYLLABLES = tuple(SYLLABLES.split())
FIRST = ("Mohamed Ahmed Moussa Ibrahim Oumar Hamadoun Souleymane Aliou Boubacar Issa Hama Abdoulaye "
         "Amadou Mahamadou Sidi Alassane Bakary Seydou Yacouba Ousmane Attaher Intalla Mossa Hassane").split()
GROUP_PATTERNS = ("Katiba {X}", "Front for the Liberation of {X}", "Mouvement du {X}", "{X} Brigade",
                  "Coordination of {X} Movements", "{X} Self-Defence Group", "Ansar {X}")
PLACE_PATTERNS = ("{X}", "{X}", "{X}", "Tin {X}", "In-{X}", "{X} Kore", "{X}-Ouest")

FILLER = [
    "The convoy left at dawn and reached the market before noon.",
    "Officials said the situation remained tense but under control.",
    "Residents reported gunfire during the night and fled to nearby fields.",
    "Prices of rice and fuel have risen sharply since the roads were closed.",
    "Since then, nothing has changed for the families who stayed.",
    "A local teacher said the school had been closed for two years.",
    "Malian and Nigerien officers met to discuss the border.",
    "Dine alone, the elders said, would not feed the village.",
    "The aes of the accounts did not add up, an auditor joked.",
    "Several trucks were burned and their drivers taken away.",
    "The platform of the new party says little about security.",
    "Humanitarian workers said access was limited to a few roads.",
    "The army announced that it had neutralised a number of fighters.",
    "Witnesses could not be reached by telephone to confirm the account.",
    "Rains arrived late this year, and the harvest was poor.",
    "The mayor called for calm and asked for more soldiers.",
    "Burkinabe traders complained about the closure of the border.",
    "A mine of information, one analyst said of the seized documents.",
    "The statement was read on state television in the evening.",
    "Families waited for news of relatives who had been abducted.",
]
MENTION_TEMPLATES = {
    "place": ["Fighters were seen near {} on Tuesday.", "The road to {} remains closed.",
              "Displaced families arrived from {} last week.", "At {}, the market reopened."],
    "group": ["{} claimed responsibility for the attack.", "A spokesman for {} denied the report.",
              "The leaders of {} met in secret.", "Analysts say {} has grown stronger."],
    "person": ["{} said the talks would continue.", "Supporters of {} gathered outside.",
               "A decree signed by {} was published.", "Little is known about {} today."],
    "org": ["{} issued a statement on the crisis.", "A delegation from {} arrived.",
            "{} suspended its operations in the area.", "Officials of {} were not available."],
    "event": ["People still talk about {}.", "Since {}, the balance of forces has shifted.",
              "{} changed the politics of the region.", "Memories of {} remain vivid."],
}


def _gen_word(rng: random.Random, lo: int = 2, hi: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))).capitalize()


def padded(base: Gazetteer, n: int, seed: int = 7) -> Gazetteer:
    """`base` plus generated entries up to `n` entries in total."""
    rng = random.Random(seed)
    common = common_words()
    used = {fold_key(s) for e in base for s in e.surface_forms()}
    used |= {fold_key(w) for t in MENTION_TEMPLATES.values() for s in t for w in s.split()}
    entries = list(base)
    k = 0

    def fresh(make) -> str | None:
        for _ in range(20):
            s = make()
            key = fold_key(s)
            if key and key not in used and not any(w in common for w in key.split() if len(w) > 3 and w[0] not in "ai"):
                used.add(key)
                return s
        return None

    while len(entries) < n:
        k += 1
        kind = rng.random()
        if kind < 0.5:
            etype = "place"
            name = fresh(lambda: rng.choice(PLACE_PATTERNS).format(X=_gen_word(rng)))
        elif kind < 0.8:
            etype = "person"
            name = fresh(lambda: f"{rng.choice(FIRST)} Ag {_gen_word(rng)}")
        else:
            etype = "group"
            name = fresh(lambda: rng.choice(GROUP_PATTERNS).format(X=_gen_word(rng)))
        if name is None:
            continue
        aliases = []
        if etype == "group" and rng.random() < 0.4:
            acro = fresh(lambda: "".join(rng.choice("ABCDEFGHIKLMNOPRSTUZ") for _ in range(rng.randint(3, 5))))
            if acro:
                aliases.append(acro)
        if rng.random() < 0.3:
            alt = fresh(lambda n=name: n.replace("ou", "u", 1) if "ou" in n else n + "a")
            if alt:
                aliases.append(alt)
        entries.append(Entry(id=f"gen-{k}", name=name, type=etype, aliases=aliases, summary="generated",
                             file="<generated>"))
    return Gazetteer(entries)


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    id: str
    perturbed: bool
    kind: str = ""  # how it was perturbed ("typo", "case", "translit", ...), "" if not


@dataclass(frozen=True)
class Distractor:
    """A planted word no matcher should highlight."""

    start: int
    end: int
    word: str


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def _is_acronym(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in s


# Transliteration variants, both ways: (pattern, replacement) on one word, lower case.
TRANSLIT_VARIANTS = (
    (r"ou(?=[aeiy])", "w"), (r"ou", "u"), (r"(?<=[bcdfghjklmnprstvz])u(?![aeiou])", "ou"),
    (r"dj", "j"), (r"(?<![dn])j", "dj"), (r"tch", "ch"), (r"(?<!t)ch", "tch"), (r"(?<!t)ch", "sh"),
    (r"sh", "ch"), (r"kh", "k"), (r"gu(?=[ei])", "g"), (r"([bcdfgklmnprst])\1", r"\1"),
    (r"(?<=[aeiou])([lmnrst])(?=[aeiou])", r"\1\1"), (r"y", "i"), (r"(?<=[aeiou])i(?=[aeou])", "y"),
    (r"^al$", "el"), (r"^el$", "al"), (r"^al$", "ed"), (r"^al$", "ul"), (r"ine$", "in"), (r"(?<=[^aeiou])in$", "ine"),
)
_TRANSLIT_RES = [(re.compile(a), b) for a, b in TRANSLIT_VARIANTS]


def translit_variant(surface: str, rng: random.Random) -> str | None:
    """The surface respelled by one to three transliteration rules, as a report written in
    another tradition would ("Ouahigouya" → "Wahiguya" is three), or None."""
    parts = re.split(r"([ \-])", surface)
    options = []
    for i in range(0, len(parts), 2):
        low = strip_accents(parts[i]).lower()
        if not low.isalpha():
            continue
        for rx, rep in _TRANSLIT_RES:
            if rx.search(low):
                options.append((i, rx, rep))
    rng.shuffle(options)
    wanted = rng.randint(1, 3)
    done = 0
    for i, rx, rep in options:
        w = parts[i]
        low = strip_accents(w).lower()
        new = rx.sub(rep, low, count=1)
        if new == low or not new:
            continue
        parts[i] = new[:1].upper() + new[1:] if w[:1].isupper() else new
        done += 1
        if done == wanted:
            break
    return "".join(parts) if done else None


def case_variant(surface: str, rng: random.Random) -> str:
    """All capitals, title case, or a lower-case tail ("Islamic state in the greater sahara")."""
    words = surface.split(" ")
    choices = ["upper"]
    if len(words) > 1:
        choices += ["title", "tail"]
    kind = rng.choice(choices)
    if kind == "upper":
        return surface.upper()
    if kind == "title":
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return " ".join([words[0]] + [w.lower() for w in words[1:]])


def perturb(surface: str, rng: random.Random) -> tuple[str, str, str]:
    """(new surface, suffix after the span, kind); never touches acronyms' letters except to
    write a long one in title case, as British papers do ("Minusma")."""
    if _is_acronym(surface):
        letters = [c for c in surface if c.isalnum()]
        if len(letters) >= 4 and surface.isalpha() and rng.random() < 0.5:
            return surface.capitalize(), "", "case"
        return surface, rng.choice(["'s", "’s"]), "possessive"
    kinds = ["typo", "typo", "possessive", "case", "case", "translit", "translit", "translit"]
    if strip_accents(surface) != surface:
        kinds += ["accents", "accents", "accents"]
    if "-" in surface or " " in surface:
        kinds.append("hyphen")
    kind = rng.choice(kinds)
    if kind == "translit":
        new = translit_variant(surface, rng)
        if new is not None:
            return new, "", "translit"
        kind = "typo"
    if kind == "accents":
        return strip_accents(surface), "", "accents"
    if kind == "possessive":
        return surface, rng.choice(["'s", "’s"]), "possessive"
    if kind == "case":
        return case_variant(surface, rng), "", "case"
    if kind == "hyphen":
        return (surface.replace("-", " ") if "-" in surface else surface.replace(" ", "-", 1)), "", "hyphen"
    words = surface.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return surface, rng.choice(["'s", "’s"]), "possessive"
    i = rng.choice(long_words)
    w = words[i]
    p = rng.randint(2, len(w) - 2)
    op = rng.choice(["sub", "del", "swap", "ins"])
    letter = rng.choice("aeioulnrst")
    if op == "sub":
        w = w[:p] + (letter if letter != w[p] else "x") + w[p + 1:]
    elif op == "del":
        w = w[:p] + w[p + 1:]
    elif op == "swap":
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:] if w[p] != w[p + 1] else w[:p] + "y" + w[p + 1:]
    else:
        w = w[:p] + letter + w[p:]
    words[i] = w
    return " ".join(words), "", "typo"


# Words of the filler that must never be highlighted.
FILLER_DISTRACTORS = frozenset({"Since", "Dine", "aes", "platform", "mine", "Malian", "Nigerien",
                                "Burkinabe"})
DISTRACTOR_TEMPLATES = ("{W} was the word on everyone's lips that week.",
                        "Nobody at the meeting talked about {w} for long.",
                        "The report said little about {w} and even less about prices.")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def distractor_words(gaz: Gazetteer, rng: random.Random, limit: int = 300) -> list[str]:
    """Ordinary words near a name's word: one edit (substitution, deletion, insertion) or the
    same transliteration skeleton as a word of 4+ letters of some name, without being a
    name, an alias or a word of one.

    (Title-case acronyms are not planted: the list of ordinary words, drawn from word
    frequencies, also holds "unicef" and "cedeao", so it cannot tell which are ordinary.)
    """
    from reader.matching.translit import translit_word

    common = {w for w in common_words() if 4 <= len(w) <= 10 and w.isalpha()}
    keys, name_words = set(), set()
    for e in gaz:
        for sf in e.surface_forms():
            k = fold_key(sf)
            keys.add(k)
            name_words.update(w for w in k.split() if len(w) >= 4)
    near: set[str] = set()
    sample = sorted(name_words)
    rng.shuffle(sample)
    for w in sample[:3000]:
        for p in range(len(w) + 1):
            for c in _LETTERS:
                for v in (w[:p] + c + w[p + 1:], w[:p] + c + w[p:]):
                    if v in common and v not in keys and v not in name_words:
                        near.add(v)
            v = w[:p] + w[p + 1:]
            if v in common and v not in keys and v not in name_words:
                near.add(v)
    skeletons = {translit_word(w) for w in name_words}
    near.update(w for w in common if w not in keys and w not in name_words and translit_word(w) in skeletons)
    from reader.matching import translit

    translit.SKELETON_CACHE.clear()  # do not leave the matcher a cache warmed by the bench
    words = sorted(near)
    rng.shuffle(words)
    return words[:limit]


def make_text(gaz: Gazetteer, n_words: int, seed: int = 11, perturbed_share: float = 0.35,
              real_share: float = 0.5, distractor_share: float = 0.08
              ) -> tuple[str, list[GoldMention], list[Distractor]]:
    """A text of about `n_words` words with gold mentions of unambiguous surfaces, and the
    distractors planted in it."""
    rng = random.Random(seed)
    owners: dict[str, set[str]] = {}
    for e in gaz:
        for s in e.surface_forms():
            owners.setdefault(fold_key(s), set()).add(e.id)
    near = distractor_words(gaz, random.Random(seed + 1))
    distractors: list[Distractor] = []
    pool_real, pool_gen = [], []
    for e in gaz:
        # (not "Battle of Gao (2012)": a qualifier in parentheses is the data's, never a report's)
        surfaces = [s for s in e.surface_forms() if len(owners[fold_key(s)]) == 1 and len(fold_key(s)) >= 3
                    and "(" not in s]
        if surfaces and e.type in MENTION_TEMPLATES:
            (pool_gen if e.id.startswith("gen-") else pool_real).append((e, surfaces))
    parts: list[str] = []
    gold: list[GoldMention] = []
    length = 0
    words = 0
    while words < n_words:
        r = rng.random()
        if r < distractor_share and near:
            w = rng.choice(near)
            template = rng.choice(DISTRACTOR_TEMPLATES)
            w = w.capitalize() if "{W}" in template else w
            before = template.split("{")[0]
            distractors.append(Distractor(length + len(before), length + len(before) + len(w), w))
            sent = template.replace("{W}", w).replace("{w}", w)
        elif r < 0.45:
            sent = rng.choice(FILLER)
            for m in re.finditer(r"\w+", sent):
                if m.group() in FILLER_DISTRACTORS:
                    distractors.append(Distractor(length + m.start(), length + m.end(), m.group()))
        else:
            pool = pool_real if (not pool_gen or rng.random() < real_share) else pool_gen
            entry, surfaces = rng.choice(pool)
            surface = surfaces[0] if rng.random() < 0.6 else rng.choice(surfaces)
            suffix = ""
            pert = rng.random() < perturbed_share
            kind = ""
            if pert:
                new, suffix, kind = perturb(surface, rng)
                if fold_key(new) != fold_key(surface) and owners.get(fold_key(new), {entry.id}) != {entry.id}:
                    new, suffix, kind = surface, rng.choice(["'s", "’s"]), "possessive"  # another name's
                pert = new != surface or bool(suffix)
                kind = kind if pert else ""
                surface = new
            template = rng.choice(MENTION_TEMPLATES[entry.type])
            before, after = template.split("{}")
            start = length + len(before)
            gold.append(GoldMention(start, start + len(surface), entry.id, pert, kind))
            sent = before + surface + suffix + after
        if rng.random() < 0.15:
            sent += "\n"
        parts.append(sent)
        length += len(sent) + 1
        words += len(sent.split())
    return " ".join(parts), gold, distractors


def base_gazetteer() -> Gazetteer:
    return load_gazetteer(overlay=False)
