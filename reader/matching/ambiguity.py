"""Choosing between entries that share a surface ("Niger": the country or the river).

The rule, in order: a kind word next to the mention ("river", "fleuve", "region", …; the
nearest wins, the word after at equal distance); an unambiguous neighbour in the same list
of the same type and kind ("Mali, Burkina Faso and Niger"); an entry the text names
unambiguously elsewhere; the number of related entries (links, parents, children) named
unambiguously in the text; finally the gazetteer's order (entries whose canonical name is
the surface first).
"""

from __future__ import annotations

from reader.gazetteer.model import Gazetteer

KIND_WORDS = {
    "river": "river", "fleuve": "river", "riviere": "river",
    "region": "region", "cercle": "cercle", "commune": "commune",
    "lake": "lake", "lac": "lake", "forest": "forest", "foret": "forest",
    "camp": "camp", "mine": "mine", "town": "town", "ville": "town", "village": "village",
    "country": "country", "pays": "country", "mountains": "mountains", "massif": "mountains",
}


def rank(gaz: Gazetteer, toks, chosen, n: int, entries: list[str], sure: set[str]) -> list[str]:
    """Order the entries of an ambiguous mention; see the module docstring for the rule."""
    i, j = chosen[n][0], chosen[n][1]
    # the nearest kind word decides: "the river enters Niger the country"
    kinds: set[str] = set()
    for dist in (1, 2, 3):
        for k in (j - 1 + dist, i - dist):  # at equal distance the word after wins
            if 0 <= k < len(toks) and toks[k][2] in KIND_WORDS:
                kinds.add(KIND_WORDS[toks[k][2]])
                break
        if kinds:
            break
    # kinds of unambiguous neighbours in the same list ("Mali, Burkina Faso and Niger")
    neighbour_kinds = set()
    for m in (n - 1, n + 1):
        if 0 <= m < len(chosen):
            a, b, nm = chosen[m][0], chosen[m][1], chosen[m][2]
            if len(nm.entries) == 1 and (b >= i - 2 and a <= j + 2):
                e = gaz.entries[nm.entries[0]]
                neighbour_kinds.add((e.type, e.kind))

    def key(eid: str):
        e = gaz.entries[eid]
        related = len(gaz.related(eid) & sure) if sure else 0
        return (not (kinds and e.kind in kinds), (e.type, e.kind) not in neighbour_kinds,
                eid not in sure, -related)

    return sorted(entries, key=key)  # stable: ties keep priority order
