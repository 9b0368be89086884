"""Looking up the entries a typed name most likely means (pickers, search)."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from reader.gazetteer.model import Gazetteer, fold_key
from reader.matching.index import index_for


def resolve_entities(gazetteer: Gazetteer, query: str, limit: int = 10) -> list[tuple[str, float]]:
    """Entries a typed name most likely means, best first: 'tombouctou' → timbuktu.

    Scores: 100 for a name or alias equal to the query once folded (or the id itself), 99
    ignoring spaces, 92–98 when the query's words are all words of a name ("goita" →
    Assimi Goïta), 90–99 when a name starts with the query, then the edit similarity
    (rapidfuzz ratio) of the folded forms, kept from 75 and capped at 89, so a loose
    guess never outranks a real hit and an unknown place yields nothing rather than noise.
    """
    q = fold_key(query)
    if not q:
        return []
    ix = index_for(gazetteer)
    if ix.surfaces is None:
        ix.surfaces = [n.key for n in ix.names]
        ix.surface_entries = [n.entries for n in ix.names]
    scores: dict[str, float] = {}

    def add(eid: str, score: float) -> None:
        if score > scores.get(eid, -1):
            scores[eid] = score

    if query.strip() in gazetteer.entries:
        add(query.strip(), 100.0)
    for nm in ix.exact.get(q, ()):
        for eid in nm.entries:
            add(eid, 100.0)
    for nm in ix.compact.get(q.replace(" ", ""), ()):
        for eid in nm.entries:
            add(eid, 99.0)
    qwords = set(q.split())
    for key, entries in zip(ix.surfaces, ix.surface_entries):
        if key == q:
            continue
        if len(q) >= 2 and key.startswith(q):
            score = 90.0 + 9.0 * len(q) / len(key)
        elif len(q) >= 3 and qwords <= set(key.split()):
            score = 92.0 + 6.0 * len(q) / len(key)
        else:
            continue
        for eid in entries:
            add(eid, score)
    if len(q) >= 3:
        for _key, score, k in process.extract(q, ix.surfaces, scorer=fuzz.ratio,
                                              limit=limit * 3, score_cutoff=75):
            for eid in ix.surface_entries[k]:
                add(eid, min(float(score), 89.0))
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(eid, round(s, 1)) for eid, s in ranked[:limit]]
