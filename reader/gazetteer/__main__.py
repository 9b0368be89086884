"""`python -m reader.gazetteer [PATH]`: list validation problems and entry counts."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.gazetteer.loader import load_gazetteer
from reader.gazetteer.model import TYPES


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    gaz = load_gazetteer(Path(argv[0]) if argv else None, overlay=False)
    for issue in gaz.issues:
        print(f"{issue.severity}: {issue}")
    counts = {t: sum(1 for e in gaz if e.type == t) for t in TYPES}
    print(f"{len(gaz)} entries ({', '.join(f'{n} {t}' for t, n in counts.items())}); "
          f"{len(gaz.errors)} errors, {len(gaz.issues) - len(gaz.errors)} warnings")
    return 1 if gaz.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
