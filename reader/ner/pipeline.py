"""spaCy, loaded on first use: NER spans of a text, with offsets into the original string.

Only the components NER needs are loaded (the small pipelines' `ner` has its own token
vectors), which halves the time per word. spaCy's `Language` objects are not documented
as safe to share between threads, so each pipeline is used under its own lock; callers run
this off the UI thread (`reader.tui.ner_worker`), never in the first frame.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import metadata

from reader.ner import PIPELINES, pipeline_module, unavailable_reason

# What the pipelines need not run for entities (whatever a given pipeline has of them).
_EXCLUDE = ("tagger", "parser", "morphologizer", "lemmatizer", "attribute_ruler", "senter",
            "tok2vec")
_MAX_CHARS = 100_000  # texts are cut into paragraphs; a paragraph longer than this is split

_lock = threading.Lock()
_pipelines: dict[str, tuple[object, threading.Lock]] = {}


class NerUnavailable(RuntimeError):
    """spaCy or the pipeline for a language is not installed (the message says how to fix it)."""


@dataclass(frozen=True)
class NerSpan:
    """An entity the model proposes: offsets into the text (end exclusive) and its label."""

    start: int
    end: int
    label: str


def model_key() -> str:
    """Versions of spaCy and of the installed pipelines: part of the NER cache key, read from
    package metadata (no import of spaCy)."""
    parts = []
    for dist in ["spacy", *(m for mods in PIPELINES.values() for m in mods)]:
        try:
            parts.append(f"{dist}={metadata.version(dist.replace('_', '-'))}")
        except metadata.PackageNotFoundError:
            continue
    return ",".join(parts)


def load(lang: str):
    """The spaCy pipeline for `lang` (loaded once; raises NerUnavailable)."""
    with _lock:
        got = _pipelines.get(lang)
        if got is not None:
            return got
        name = pipeline_module(lang)
        if name is None:
            raise NerUnavailable(unavailable_reason(lang) or f"no NER pipeline for {lang!r}")
        import spacy  # heavy (~1 s): only here, never at start-up

        nlp = spacy.load(name)
        drop = [p for p in nlp.pipe_names if p in _EXCLUDE and not _feeds_ner(nlp, p)]
        if drop:
            nlp = spacy.load(name, exclude=drop)
        got = _pipelines[lang] = (nlp, threading.Lock())
        return got


def _feeds_ner(nlp, component: str) -> bool:
    """True when `ner` listens to this component (a shared tok2vec): it must stay."""
    ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
    if ner is None:
        return False
    listeners = getattr(nlp.get_pipe(component), "listening_components", None) or []
    return "ner" in listeners


def entities(text: str, lang: str) -> list[NerSpan]:
    """Entity spans of `text` by the `lang` pipeline, in order, paragraph by paragraph."""
    nlp, lock = load(lang)
    chunks = list(_chunks(text))
    out: list[NerSpan] = []
    with lock:
        for (offset, _chunk), doc in zip(chunks, nlp.pipe(c for _, c in chunks)):
            out.extend(NerSpan(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
    return out


def _chunks(text: str):
    """(offset, paragraph) pieces: blank lines separate them; overlong ones are cut at a line
    or a sentence end so no entity is cut in two in practice."""
    pos, n = 0, len(text)
    while pos < n:
        end = text.find("\n\n", pos)
        end = n if end < 0 else end
        while end - pos > _MAX_CHARS:
            cut = max(text.rfind("\n", pos, pos + _MAX_CHARS), text.rfind(". ", pos, pos + _MAX_CHARS))
            cut = pos + _MAX_CHARS if cut <= pos else cut + 1
            if text[pos:cut].strip():
                yield pos, text[pos:cut]
            pos = cut
        if text[pos:end].strip():
            yield pos, text[pos:end]
        pos = end + 2
