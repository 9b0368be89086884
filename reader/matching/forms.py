"""Span rules applied after the names are chosen: administrative forms, dotted
abbreviations and nested names (classes 3, 4 and 6 of issue 16).

A *hit* here is ``(first word, end word exclusive, Mention)``: the word indices let a rule
see the words around a mention, the Mention carries the offsets reported to callers.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz.distance import OSA

from reader.gazetteer.keys import words
from reader.gazetteer.model import Gazetteer
from reader.matching.index import common_words
from reader.matching.spans import at_sentence_start, select
from reader.matching.types import Mention

# Class 4 (administrative forms): the words that make "Niono Cercle", "cercle de Bourem",
# "Djibasso Department", "Loroum province", "région de Ségou" one name, and the unit each
# word means (also matched against an entry's `kind`).
ADMIN_WORDS = {
    "cercle": "cercle", "circle": "cercle",
    "department": "department", "departement": "department",
    "province": "province", "region": "region", "commune": "commune",
    "district": "district", "prefecture": "prefecture",
}
_CONNECTORS = frozenset({"de", "du", "des", "d", "of"})
_SEAT_KINDS = frozenset({"town", "village", "commune", "cercle", "region", ""})
_SKIP_IN_CORE = _CONNECTORS | {"the", "la", "le", "l"}


def _core(ws) -> tuple[str, ...]:
    return tuple(w for w in ws if w not in ADMIN_WORDS and w not in _SKIP_IN_CORE)


def admin_index(gaz: Gazetteer, names) -> dict[tuple[tuple[str, ...], str], str]:
    """(words of the place without the unit word, unit) → id of the administrative entry,
    from the place names that contain a unit word ("Niono Cercle", "cercle de Niono").

    (An entry whose kind is the unit, say a region named "Mopti", needs no index: "Mopti
    region" finds it through the ambiguity rule's kind words, and then links to it.)
    """
    out: dict[tuple[tuple[str, ...], str], str] = {}
    words_set = ADMIN_WORDS.keys()
    for n in names:
        if words_set.isdisjoint(n.words):
            continue
        core = _core(n.words)
        if not core:
            continue
        for unit in {ADMIN_WORDS[w] for w in n.words if w in ADMIN_WORDS}:
            for eid in n.entries:
                e = gaz.entries.get(eid)
                if e is not None and e.type == "place":
                    out.setdefault((core, unit), eid)
                    break
    return out


def administrative_forms(gaz: Gazetteer, ix, text: str, toks, runs, hits: list) -> list:
    """Class 4: a place written with its unit word becomes one mention of the whole phrase.

    "Niono Cercle", "Loroum province" (unit after) and "cercle de Bourem", "région de
    Ségou", "region of Mopti" (unit before, with de/du/d'/of). The phrase links to the
    administrative entry when the gazetteer has one (an entry whose name has the unit word,
    or whose kind is the unit); otherwise the whole phrase links to the place. A unit word
    already inside a longer known name is left alone: the longer name has won.
    """
    n = len(toks)
    covered: dict[int, int] = {}
    for h, (i, j, _m) in enumerate(hits):
        for k in range(i, j):
            covered[k] = h
    unit_of = {k: toks[k][2] for k in range(n) if toks[k][2] in ADMIN_WORDS and k not in covered}
    # a misspelt unit word beside a place ("réion de Gao", "Kita regoin"): one edit, 5+
    # letters, not an ordinary word of its own ("legion")
    common = common_words()
    for i, j, _m in hits:
        for k in ((i - 2,) if i >= 2 and toks[i - 1][2] in _CONNECTORS else ()) + (j,):
            if 0 <= k < n and k not in covered and k not in unit_of:
                key = toks[k][2]
                if len(key) >= 5 and key not in common:
                    for w in ADMIN_WORDS:
                        if abs(len(w) - len(key)) <= 1 and OSA.distance(key, w, score_cutoff=1) <= 1:
                            unit_of[k] = w
                            break
    units = sorted(unit_of)
    if not units:
        return hits
    if ix.admin is None:
        ix.admin = admin_index(gaz, ix.names)
    admin = ix.admin
    replaced: dict[int, tuple] = {}  # hit index → new hit
    added: list[tuple] = []
    for k in units:
        unit = ADMIN_WORDS[unit_of[k]]
        # the place after the unit word ("cercle de Bourem") or before it ("Niono Cercle")
        sides = []
        after = k > 0 and runs[k - 1] == runs[k] and text[toks[k - 1][1]:toks[k][0]] == " "
        if after:
            sides.append(None)
        # "région de Ségou", but not "the Centre-North region of Burkina Faso": a capitalised
        # word before the unit word means the unit is that name's
        if k + 2 < n and toks[k + 1][2] in _CONNECTORS and runs[k] == runs[k + 1] == runs[k + 2] \
                and text[toks[k][1]:toks[k + 1][0]] == " " \
                and not (after and text[toks[k - 1][0]].isupper() and not at_sentence_start(text, toks[k - 1][0])):
            sides.append(k + 2)  # the place's first word
        for first in sides:
            if first is not None:  # unit before: the place is the hit starting at `first`
                h = covered.get(first)
                if h is not None and hits[h][0] == first:
                    pi, pj = first, hits[h][1]
                elif text[toks[first][0]].isupper():
                    h, pi, pj = None, first, first + 1
                else:
                    continue
                start_tok, end_tok = k, pj
            else:  # unit after: the place is the hit ending just before it
                h = covered.get(k - 1)
                if h is not None and hits[h][1] == k:
                    pi, pj = hits[h][0], k
                elif text[toks[k - 1][0]].isupper():
                    h, pi, pj = None, k - 1, k
                else:
                    continue
                start_tok, end_tok = pi, k + 1
            if h is not None and h in replaced:
                continue
            place = gaz.entries[hits[h][2].entry_id] if h is not None else None
            if place is not None and (place.type != "place" or place.kind == "country"):
                continue  # "the region of Mali" is not a form of Mali's name
            # Only a seat (a town, a village, the unit itself) stands for its unit: "the Sahel
            # region" is not Burkina Faso's Sahel Region because "région du Sahel" is.
            seat = place is None or place.kind in _SEAT_KINDS or place.kind == unit
            eid = admin.get((_core(t[2] for t in toks[pi:pj]), unit)) if seat else None
            if eid is None and h is not None and seat:
                for surface in gaz.entries[hits[h][2].entry_id].surface_forms():
                    eid = admin.get((_core(w for _, _, w in words(surface)), unit))
                    if eid is not None:
                        break
            if eid is None and h is None:
                continue  # an unknown place with a unit word: nothing to link
            start, end = toks[start_tok][0], toks[end_tok - 1][1]
            if eid is not None:
                entry = gaz.entries[eid]
                score = hits[h][2].score if h is not None else 100.0
                m = hits[h][2] if h is not None else None
                new = (start_tok, end_tok, replace(m, start=start, end=end, text=text[start:end],
                                                   entry_id=eid, alias=entry.name, alternatives=())
                       if m is not None else _mention(start, end, text[start:end], eid, entry.name, score))
            else:
                m = hits[h][2]
                new = (start_tok, end_tok, replace(m, start=start, end=end, text=text[start:end]))
            if h is not None:
                replaced[h] = new
            else:
                added.append(new)
            for t in range(start_tok, end_tok):
                covered.setdefault(t, -1)
            break
    if not replaced and not added:
        return hits
    out = [replaced.get(h, hit) for h, hit in enumerate(hits)] + added
    out.sort(key=lambda x: x[0])
    return out


def _mention(start, end, text, eid, alias, score):
    return Mention(start, end, text, eid, alias, score)



def dotted_abbreviations(text: str, hits: list) -> list:
    """Class 3 (house styles): "U.K." and "E.U." keep their final period inside the span.

    Only when the span is single letters joined by periods, so a sentence's full stop after
    an ordinary name ("... in Gao.") stays outside.
    """
    out = []
    for i, j, m in hits:
        s = m.text
        if m.end < len(text) and text[m.end] == "." and len(s) >= 3 and s[-2] == "." \
                and all(c == "." for c in s[1::2]) and all(c.isalpha() for c in s[0::2]):
            m = replace(m, end=m.end + 1, text=text[m.start:m.end + 1])
        out.append((i, j, m))
    return out


def nested_mentions(gaz: Gazetteer, text: str, toks, hits: list, cands: list, resolve) -> list:
    """Class 6: the place named inside an event or body ("the Ogossagou massacre", "the battle
    of Konna", "the Ouagadougou Agreement"), with ``inside`` = the outer mention's span.

    Inner names come from the candidates the outer one beat; they are chosen by the same
    rule as top-level names and kept only when they resolve to a place.
    """
    outers = [(i, j, m) for i, j, m in hits if j - i > 1
              and gaz.entries[m.entry_id].type in ("event", "org")]
    if not outers:
        return []
    outer_at: dict[int, tuple] = {}  # word → the outer mention covering it
    for o in outers:
        for k in range(o[0], o[1]):
            outer_at[k] = o
    inner, outer_of = [], {}
    for c in cands:  # outers never overlap, so one selection serves them all
        o = outer_at.get(c[0])
        if o is not None and c[1] <= o[1] and (c[0], c[1]) != (o[0], o[1]) \
                and any(gaz.entries[e].type == "place" for e in c[2].entries):
            inner.append(c)
            outer_of[c[0]] = o[2]
    if not inner:
        return []
    return [replace(im, inside=(outer_of[a].start, outer_of[a].end))
            for a, _b, im in resolve(text, toks, select(inner, toks))
            if gaz.entries[im.entry_id].type == "place"]
