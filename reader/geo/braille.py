"""A small braille rasteriser: one bit per dot, 2×4 dots per terminal cell.

Ours rather than drawille or plotext: we need several layers (borders, rivers) in one cell
grid that labels and markers are laid over, line clipping, and speed (the outline layer of a
120×40 map is ~2,000 segments); drawille keeps a dict per row and draws one layer, plotext
is a plotting library with its own axes and no map projection. This is ~60 lines.
"""

from __future__ import annotations

BLANK = 0x2800
# bit of dot (dx, dy) within a cell, as Unicode numbers the braille dots
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


class Canvas:
    """`cols`×`rows` cells; `dot`/`line` set dots in dot coordinates (x right, y down)."""

    def __init__(self, cols: int, rows: int):
        self.cols, self.rows = cols, rows
        self.width, self.height = cols * 2, rows * 4
        self.cells = bytearray(cols * rows)

    def dot(self, x: float, y: float) -> None:
        xi, yi = int(x), int(y)
        if 0 <= xi < self.width and 0 <= yi < self.height and x >= 0 and y >= 0:
            self.cells[(yi >> 2) * self.cols + (xi >> 1)] |= _BITS[xi & 1][yi & 3]

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A straight line, clipped to the canvas (segments wholly outside cost nothing)."""
        w, h = self.width, self.height
        if (x0 < 0 and x1 < 0) or (y0 < 0 and y1 < 0) or (x0 >= w and x1 >= w) or (y0 >= h and y1 >= h):
            return
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        dx, dy = (x1 - x0) / steps, (y1 - y0) / steps
        cells, cols, bits = self.cells, self.cols, _BITS
        x, y = x0, y0
        for _ in range(steps + 1):
            if 0 <= x < w and 0 <= y < h:
                xi, yi = int(x), int(y)
                cells[(yi >> 2) * cols + (xi >> 1)] |= bits[xi & 1][yi & 3]
            x += dx
            y += dy

    def polyline(self, points) -> None:
        it = iter(points)
        try:
            px, py = next(it)
        except StopIteration:
            return
        for x, y in it:
            self.line(px, py, x, y)
            px, py = x, y

    def bits(self, col: int, row: int) -> int:
        return self.cells[row * self.cols + col]

    def char(self, col: int, row: int) -> str:
        return chr(BLANK + self.cells[row * self.cols + col])

    def rows_text(self) -> list[str]:
        c = self.cols
        return ["".join(chr(BLANK + b) for b in self.cells[r * c:(r + 1) * c]) for r in range(self.rows)]
