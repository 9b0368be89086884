"""The Sahel gazetteer: who and where the reporting talks about, with links between them.

Data lives in `data/*.toml` (format in data/README.md); `load_gazetteer` reads it, merges
the user's overlay and validates everything, collecting problems in `Gazetteer.issues`
rather than failing, so the reader keeps working with imperfect data.
"""

from reader.gazetteer.loader import DATA_DIR, load_gazetteer
from reader.gazetteer.model import (
    RELATIONS,
    TYPES,
    Entry,
    Gazetteer,
    GazetteerError,
    GazetteerIssue,
    Link,
    fold_key,
)
from reader.gazetteer.overlay import default_overlay_path, with_additions

__all__ = [
    "DATA_DIR", "RELATIONS", "TYPES", "Entry", "Gazetteer", "GazetteerError", "GazetteerIssue",
    "Link", "default_overlay_path", "fold_key", "load_gazetteer", "with_additions",
]
