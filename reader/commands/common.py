"""What every verb module shares: the one-line error and the store named on the command line.

Lives here rather than in `reader.cli` so that verb modules never import the command's entry
point back (the entry point imports the verbs, not the other way round).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


class CliError(Exception):
    """An error to print as one line, exit code 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def open_store(args: argparse.Namespace, *, create: bool = True):
    """The Store named by --db / MALI_READER_DB / the default, samples loaded on first run."""
    from reader.store import Store, StoreError

    try:
        store = Store.open(Path(args.db) if getattr(args, "db", None) else None, create=create)
        from reader.importers.save import import_samples

        for line in import_samples(store):
            print(f"mali-reader: skipped sample {line}", file=sys.stderr)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    return store
