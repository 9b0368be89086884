"""Finding gazetteer entities in text, tolerant of the ways real reports spell them.

How a mention is found:

1. Text and names are cut into folded words the same way (`reader.gazetteer.keys`), so
   case, accents, apostrophe and hyphen variants meet; each word keeps its offsets in the
   original text, so spans are reported in the original string, untouched.
2. Exact: runs of words are looked up in a dict of name keys (guided by a set of key
   prefixes so only plausible runs are tried), and their space-free forms in a second
   dict ("Bokoharam" = "Boko Haram", "Al Qaida" = "Alqaida").
3. Fuzzy: each capitalised word looks up, through SymSpell-style one-letter deletions,
   the names indexed under their rarest capitalised word (and a second one when it is
   rare too: see `reader.matching.index`); candidate windows around it are
   verified with an optimal-string-alignment edit distance on space-free forms, within a
   budget that grows with the name: 0 edits up to 4 letters, 1 up to 8, 2 beyond. A
   fixed similarity ratio fails both ways (one wrong letter in "Agadez" scores 83 while
   "since" vs "Sine" scores 89), an edit budget does not.

Guards, because a false highlight costs the reader more than a missed one:

- names written in capitals in the gazetteer (acronyms: MNLA, MINUSMA, CSP-PSD) match
  only exactly and with the same capitals, so "aes" is not AES and MINUSCA is not MINUSMA;
- fuzzy matches start with a capitalised word (or a particle such as "al"), share the
  first letter with the name, are not a single ordinary English/French word
  (`common_words.txt`: "Since" is not Sine), add no ordinary lower-case word the name
  lacks, replace no word of the name wholesale ("Malian Arab" is not "Malian army"),
  are not a word that merely begins with a name ("Guinean", "Abalak"), do not cross a
  possessive ("Russia's Africa Corps"), and a one-word fuzzy match may not sit next to
  another unknown capitalised name ("Nema Sagara" is not Sahara);
- a one-word name that is also an ordinary word (Platform) needs a capital in the text.

Overlaps: the name with most words wins (then the higher score), so "Islamic State in the
Greater Sahara" beats "Islamic State"; spans never overlap.

Ambiguity (one surface, several entries, e.g. Niger the country and the river) is decided
from context by `reader.matching.ambiguity`: a kind word next to the mention ("river",
"fleuve", "region"), the kind of a neighbouring mention in a list, the entries the text
names elsewhere, the related entries it names; else the entry whose canonical name is the
surface, then gazetteer order. The others are kept in `Mention.alternatives`.

Demonyms ("Malian", "Nigerien", "Burkinabè") are not mentions: they describe people or
forces, not the country, and the gazetteer does not list them as aliases.

Beyond single names (the recognition classes of issue 16; each rule's docstring names its
class):

- transliterations (class 5): a third key, each word reduced to a skeleton where ou/u/w,
  dj/j, ch/sh, doubled letters, y/i, el-/al-/ed- meet (`reader.matching.translit`);
- house styles (class 3): title-case acronyms of 4+ letters ("Aqim") unless an ordinary
  word there; dotted abbreviations keep their final period ("U.K.");
- administrative forms (class 4): "Niono Cercle", "cercle de Bourem" are one mention, of
  the administrative entry when there is one (`reader.matching.forms`);
- the article (classes 1 and 2): acronyms it defines in parentheses, both directions, and
  surnames after a full name (`reader.matching.article`);
- nested names (class 6): `Matcher.analyse(text).inner` holds the places named inside an
  event or body ("Ogossagou" in "the Ogossagou massacre"), each with `inside` = the outer
  span; `find` returns the outer mentions only, never overlapping;
- unknown names (class 8): `analyse(text, candidates=True).candidates` are capitalised
  names that look like groups or people but are in no entry (`reader.matching.candidates`).
"""

from __future__ import annotations

import gc
from itertools import chain

from rapidfuzz.distance import OSA

from reader.gazetteer.keys import words
from reader.gazetteer.model import Gazetteer
from reader.matching.ambiguity import rank
from reader.matching.article import defined_acronyms, short_mentions
from reader.matching.candidates import unknown_names
from reader.matching.forms import administrative_forms, dotted_abbreviations, nested_mentions
from reader.matching.index import PARTICLES, Name, common_words, edit_budget, index_for
from reader.matching.resolve import resolve_entities
from reader.matching.spans import APOSTROPHES, at_sentence_start, runs_of, select, word_budget
from reader.matching.translit import SKELETON_CACHE as TRANSLIT_CACHE
from reader.matching.translit import translit_word
from reader.matching.types import Analysis, Candidate, Mention

__all__ = ["Analysis", "Candidate", "MATCHER_VERSION", "Matcher", "Mention", "common_words",
           "edit_budget", "resolve_entities"]

# Bumped whenever the same text and gazetteer can give different mentions, so caches of
# matcher output (reader.entities) know to recompute.
MATCHER_VERSION = "2"



class Matcher:
    """Finds gazetteer mentions in text; the index is built once per gazetteer object."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.index = index_for(gazetteer)

    def find(self, text: str) -> list[Mention]:
        """The mentions of `text`, in order, never overlapping."""
        return self.analyse(text).mentions

    def analyse(self, text: str, *, candidates: bool = False) -> Analysis:
        """Mentions, the places nested inside them, and (if asked) unknown candidate names."""
        # A long text makes about ten small objects per word and no reference cycles; the
        # cyclic collector would only rescan them (a quarter of the time on 100,000 words).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._analyse(text, candidates)
        finally:
            if was_enabled:
                gc.enable()

    def _analyse(self, text: str, candidates: bool) -> Analysis:
        toks = words(text)
        if not toks:
            return Analysis([])
        runs = runs_of(text, toks)  # per call, so one Matcher can serve several threads
        lowered: set[str] | None = None

        def ordinary(k: int) -> bool:
            """House styles: a title-case acronym is an ordinary word when it is a common word
            starting a sentence, or when the text also writes it in lower case."""
            nonlocal lowered
            key = toks[k][2]
            if key not in common_words():
                return False
            if at_sentence_start(text, toks[k][0]):
                return True
            if lowered is None:
                lowered = {t[2] for t in toks if text[t[0]].islower()}
            return key in lowered

        caps = [k for k, t in enumerate(toks) if text[t[0]].isupper()]  # where names may start
        cands = self._exact(text, toks, runs, ordinary)
        cands.extend(self._translit(text, toks, runs, caps))
        cands.extend(self._fuzzy(text, toks, runs, caps))
        hits = self._resolve(text, toks, select(cands, toks))
        gaz = self.gazetteer
        hits = administrative_forms(gaz, self.index, text, toks, runs, hits)
        hits = defined_acronyms(gaz, text, toks, hits)
        hits = short_mentions(gaz, text, toks, runs, hits)
        hits = dotted_abbreviations(text, hits)
        inner = nested_mentions(gaz, text, toks, hits, cands, self._resolve)
        found = unknown_names(text, toks, runs, hits) if candidates else []
        return Analysis([m for _, _, m in hits], inner, found)

    # -- candidates: (start_tok, end_tok_exclusive, name, score) ------------------------------
    def _accept_exact(self, text: str, toks, i: int, j: int, name: Name, ordinary=None) -> bool:
        if name.acronym:
            span = text[toks[i][0]:toks[j - 1][1]]
            letters = "".join(c for c in span if c.isalnum())
            if letters == name.acronym:
                return True
            # House styles (class 3): British papers write acronyms of 4+ letters in title
            # case ("Aqim", "Minusma", "Cedeao"), unless the word is an ordinary one there.
            acro = name.acronym
            return (j == i + 1 and len(acro) >= 4 and acro.isalpha() and letters == acro.capitalize()
                    and ordinary is not None and not ordinary(i))
        if name.needs_capital:
            return text[toks[i][0]].isupper()
        return True

    def _translit(self, text: str, toks, runs, caps) -> list[tuple]:
        """Class 5: names whose words meet the text's under transliteration folding
        (`reader.matching.translit`): "Kulikoro", "Sikaso", "Wahiguya", "Ansar ed-Dine".

        Guards as for fuzzy matches: a capitalised first word (or a digit, or a lower-case
        one where the gazetteer writes it so, "lac Tchad", with a capitalised word after),
        4+ letters, not one ordinary word ("Sine" is not Sinne), no possessive inside
        (words meet one to one on their skeletons, so no word is replaced wholesale)."""
        ix = self.index
        table, prefixes, starts, lower = ix.translit, ix.tprefixes, ix.tstarts, ix.tstarts_lower
        tcache = TRANSLIT_CACHE
        common = common_words()
        out = []
        n = len(toks)
        # capitalised words, and the first words of names that the gazetteer writes in lower
        # case ("lac Tchad") or with a digit ("2021 Malian coup")
        for i in chain(caps, [k for k, t in enumerate(toks) if t[2] in lower and not text[t[0]].isupper()]):
            s0, _e0, k0 = toks[i]
            t0 = tcache.get(k0) or translit_word(k0)
            lowercase = text[s0].islower()
            if not lowercase and (len(k0) < 2 or (t0 not in starts and (
                    " " not in t0 or (t0 not in prefixes and t0 not in table)))):
                continue  # (a skeleton with a space: a glued article, "Eddine" → "al din")
            key = t0
            j = i + 1
            while True:
                names = table.get(key)
                if names:
                    wkeys = tuple([t[2] for t in toks[i:j]])
                    for nm in names:
                        if nm.words == wkeys:
                            continue  # the exact pass has it
                        if lowercase and (nm.capitalised & 1 or not any(
                                text[t[0]].isupper() or text[t[0]].isdigit() for t in toks[i:j])):
                            continue  # lower case only as the gazetteer writes it, and with a name in it
                        significant = [w for w in wkeys if w not in PARTICLES]
                        if sum(map(len, wkeys)) < 4 or (len(significant) <= 1 and all(
                                w in common for w in significant)):
                            continue  # too short, or one ordinary word ("Sine" ≠ Sinne)
                        if not nm.possessive and j - i > 1 and any(
                                text[a[1]:a[1] + 1] in APOSTROPHES and text[a[1] + 1:a[1] + 2] in ("s", "S")
                                for a in toks[i:j - 1]):
                            continue  # "Russia's Africa Corps" is two things
                        out.append((i, j, nm, 97.0))
                if j < n and key in prefixes and runs[j - 1] == runs[j]:
                    kj = toks[j][2]
                    key = key + " " + (tcache.get(kj) or translit_word(kj))
                    j += 1
                else:
                    break
        return out

    def _exact(self, text: str, toks, runs, ordinary=None) -> list[tuple]:
        ix = self.index
        exact, compact, prefixes, split_prefixes = ix.exact, ix.compact, ix.prefixes, ix.split_prefixes
        starts = ix.starts
        out = []
        n = len(toks)
        for i in range(n):
            key = toks[i][2]
            if key not in starts:
                continue
            j = i + 1
            while True:
                names = exact.get(key)
                if names:
                    for nm in names:
                        if self._accept_exact(text, toks, i, j, nm, ordinary):
                            out.append((i, j, nm, 100.0))
                if j < n and key in prefixes and runs[j - 1] == runs[j]:
                    key = key + " " + toks[j][2]
                    j += 1
                else:
                    break
            # space-free forms: "Bokoharam", "Al Qaida" vs "Alqaida"
            c = toks[i][2]
            last = min(i + 4, n + 1) if c in split_prefixes else i + 2
            for j in range(i + 1, last):
                if j > i + 1:
                    if runs[j - 2] != runs[j - 1]:
                        break
                    c += toks[j - 1][2]
                names = compact.get(c)
                if names:
                    for nm in names:
                        if j - i == len(nm.words) and " ".join(t[2] for t in toks[i:j]) == nm.key:
                            continue  # already found above
                        if self._accept_exact(text, toks, i, j, nm):
                            out.append((i, j, nm, 99.0))
        return out

    def _fuzzy(self, text: str, toks, runs, caps) -> list[tuple]:
        ix = self.index
        names, fuzzy_cache = ix.names, ix.fuzzy_cache
        common = common_words()
        out = []
        n = len(toks)
        cum = [0]
        for tok in toks:
            cum.append(cum[-1] + len(tok[2]))
        for t in caps:
            s, e, key = toks[t]
            if len(key) < 4 or (e - s > 1 and text[s:e].isupper()):
                continue
            cands = fuzzy_cache.get(key)
            if cands is None:
                cands = self._fuzzy_candidates(key)
                if len(fuzzy_cache) > 100_000:
                    fuzzy_cache.clear()
                fuzzy_cache[key] = cands
            for idx, pos in cands:
                nm = names[idx]
                if len(nm.words) > 1:
                    # Cheap test before the full one: the next (or previous) word of the text
                    # must start like the name's, and be close to it if the anchor word is
                    # spelled right (the typo is then elsewhere).
                    k2 = t + 1 if pos + 1 < len(nm.words) else t - 1
                    w2 = nm.words[pos + 1] if k2 > t else nm.words[pos - 1]
                    if not (0 <= k2 < n and runs[k2] == runs[t] and toks[k2][2][:1] == w2[:1]):
                        continue
                    k2key = toks[k2][2]
                    if nm.words[pos] == key and not (k2key.startswith(w2) or w2.startswith(k2key)) \
                            and OSA.distance(k2key, w2, score_cutoff=2) > word_budget(w2):
                        continue  # (startswith: words run together or split, "Fada Ngourma")
                best = self._verify(text, toks, runs, cum, t, pos, nm, common)
                if best is not None:
                    out.append(best)
        return out

    def _fuzzy_candidates(self, key: str) -> tuple[tuple[int, int], ...]:
        """(name index, position of the anchor word) for names with a word near `key`."""
        deletes, anchors = self.index.deletes, self.index.anchors
        vocab: set[str] = set()
        for q in (key, *(key[:k] + key[k + 1:] for k in range(len(key)) if len(key) >= 5)):
            hit = deletes.get(q)
            if hit is None:
                continue
            if isinstance(hit, str):
                vocab.add(hit)
            else:
                vocab.update(hit)
        names = self.index.names
        seen: dict[int, int] = {}
        for w in vocab:
            for idx, pos in anchors[w]:
                nm = names[idx]
                # one-word names: the exact pass already found `key` itself, and a
                # different first letter can never verify
                if len(nm.words) == 1 and (nm.compact == key or nm.compact[0] != key[0]):
                    continue
                seen.setdefault(idx, pos)
        return tuple(seen.items())

    def _verify(self, text, toks, runs, cum, t, pos, nm: Name, common) -> tuple | None:
        m = len(nm.words)
        budget = edit_budget(len(nm.compact))
        best = None
        n = len(toks)
        target = len(nm.compact)
        first = nm.compact[0]
        for start in (t - pos, t - pos - 1, t - pos + 1):
            if start < 0 or start > t or toks[start][2][:1] != first:
                continue
            for length in (m, m - 1, m + 1):
                end = start + length
                if length < 1 or end <= t or end > n or abs(cum[end] - cum[start] - target) > budget:
                    continue
                if runs[start] != runs[end - 1]:
                    continue
                window = toks[start:end]
                wkeys = [w[2] for w in window]
                cand = "".join(wkeys)
                if not cand or cand[0] != nm.compact[0]:
                    continue
                d = OSA.distance(cand, nm.compact, score_cutoff=budget)
                if d > budget:
                    continue
                if d and (d > edit_budget(len(cand)) or cand.startswith(nm.compact)):
                    # "Kida" is too short to be a misspelt "Kidal"; "Guinean" and "Abalak"
                    # are words of their own that begin with a name, not misspellings of it; so is
                    # "West African" (a demonym), whatever the number of words
                    continue
                if not self._looks_like_name(text, window, wkeys, nm, common):
                    continue
                if length == 1 and d and self._inside_longer_name(text, toks, start):
                    continue
                score = round(100.0 * (1 - d / max(len(cand), len(nm.compact))), 1)
                if d == 0:
                    score = 98.0
                if best is None or score > best[3] or (score == best[3] and end - start == m):
                    best = (start, end, nm, score)
        return best

    @staticmethod
    def _inside_longer_name(text, toks, k) -> bool:
        """A capitalised word right beside it: part of a name we do not know ("Nema Sagara")."""
        for other, gap in ((k - 1, (toks[k - 1][1], toks[k][0]) if k else None),
                           (k + 1, (toks[k][1], toks[k + 1][0]) if k + 1 < len(toks) else None)):
            if gap is None or text[gap[0]:gap[1]] != " ":
                continue
            s, e, key = toks[other]
            # ordinary words ("From", "Yesterday") are capitalised at sentence starts
            if text[s].isupper() and key not in PARTICLES and key not in common_words() \
                    and not text[s:e].isupper():
                return True
        return False

    @staticmethod
    def _looks_like_name(text, window, wkeys, nm: Name, common) -> bool:
        significant = [k for k in wkeys if k not in PARTICLES]
        if len(significant) <= 1 and all(k in common for k in significant):
            return False  # "Since" is not a misspelt Sine
        if len(wkeys) == len(nm.words):
            # edits spread over the name, not one word replaced ("Malian Arab" ≠ "Malian army")
            for k, w in zip(wkeys, nm.words):
                if k != w and OSA.distance(k, w, score_cutoff=2) > word_budget(w):
                    return False
        if not nm.possessive:
            # "Russia's Africa Corps" is two things, not a misspelt "Russian Africa Corps"
            for (_s, e, _k), (s2, _e, _k2) in zip(window, window[1:]):
                if text[e:e + 1] in APOSTROPHES and text[e + 1:e + 2] in ("s", "S") and e + 2 <= s2:
                    return False
        first_s = window[0][0]
        if not text[first_s].isupper() and wkeys[0] not in PARTICLES:
            return False
        for (s, _e, k) in window:
            # a lower-case word the name lacks may be a misspelt part of it ("atack"),
            # but not an ordinary word swallowed from the sentence ("and", "the")
            if not text[s].isupper() and k not in nm.words and (k in common or len(k) < 3 or k.isdigit()):
                return False
        return True

    # -- ambiguity ------------------------------------------------------------------------------
    def _resolve(self, text, toks, chosen) -> list[tuple[int, int, Mention]]:
        """(first word, end word, Mention) for each chosen name, its entry decided."""
        sure = {nm.entries[0] for _, _, nm, _ in chosen if len(nm.entries) == 1}
        out = []
        for n, (i, j, nm, score) in enumerate(chosen):
            entries = nm.entries
            if len(entries) > 1:
                entries = rank(self.gazetteer, toks, chosen, n, entries, sure)
            start, end = toks[i][0], toks[j - 1][1]
            out.append((i, j, Mention(start, end, text[start:end], entries[0], nm.alias, score,
                                      tuple(entries[1:]))))
        return out
