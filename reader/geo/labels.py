"""Label placement on a cell grid: every label tries a few spots around its marker, the most
important first, and never overlaps a marker or another label (nor runs into one). A label
that fits nowhere is dropped; its place stays on the map as a marker and in the list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Marker:
    key: str
    text: str
    col: int
    row: int
    priority: float  # higher is placed first


@dataclass(frozen=True)
class Label:
    key: str
    text: str  # what is drawn (the right-hand spot gets a leading space)
    col: int
    row: int


def _candidates(m: Marker):
    n = len(m.text)
    yield m.row, m.col + 1, " " + m.text           # right
    yield m.row, m.col - n - 1, m.text + " "       # left
    yield m.row - 1, m.col + 1, m.text             # above right
    yield m.row + 1, m.col + 1, m.text             # below right
    yield m.row - 1, m.col - n, m.text             # above left
    yield m.row + 1, m.col - n, m.text             # below left
    yield m.row - 1, m.col - n // 2, m.text        # above
    yield m.row + 1, m.col - n // 2, m.text        # below


def place_labels(markers: list[Marker], cols: int, rows: int,
                 blocked: set[tuple[int, int]] | None = None) -> tuple[list[Label], list[str]]:
    """(labels placed, keys of markers whose label was dropped).

    `blocked` cells (e.g. other map text) are avoided too; marker cells always are.
    """
    taken: set[tuple[int, int]] = set(blocked or ())
    taken.update((m.col, m.row) for m in markers)
    label_cells: set[tuple[int, int]] = set()
    placed: list[Label] = []
    dropped: list[str] = []
    for m in sorted(markers, key=lambda m: (-m.priority, m.text, m.key)):
        if not m.text:
            continue
        for row, col, text in _candidates(m):
            end = col + len(text)
            if row < 0 or row >= rows or col < 0 or end > cols:
                continue
            if any((c, row) in taken for c in range(col, end)):
                continue
            # no label may touch another on its row (they would read as one word)
            if (col - 1, row) in label_cells or (end, row) in label_cells:
                continue
            cells = [(c, row) for c in range(col, end)]
            taken.update(cells)
            label_cells.update(cells)
            placed.append(Label(m.key, text, col, row))
            break
        else:
            dropped.append(m.key)
    return placed, dropped
