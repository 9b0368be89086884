"""Decorations of the article view: styled character ranges in named layers.

A layer (entity highlights, notes, find matches, the selection…) is replaced as a whole;
later layers are drawn over earlier ones. `DecorationLayers` owns them and answers the one
question drawing asks — which decorations touch this layout block — from a per-layer index
by block, so changing one layer (the caret's selection) never re-sorts another (100,000
entity highlights).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.style import Style


@dataclass(frozen=True)
class Decoration:
    start: int
    end: int
    style: Style | str  # a Rich style, or the name of one of ArticleView's component classes


class DecorationLayers:
    """Named decoration layers, in drawing order, indexed by layout block."""

    def __init__(self) -> None:
        self._layers: dict[str, list[Decoration]] = {}
        self._order: list[str] = []
        self._by_block: dict[str, dict[int, list[Decoration]]] = {}
        self._block_starts: list[int] = []

    def set_blocks(self, starts: list[int]) -> None:
        """The layout blocks changed (new text, new width of blocks): re-index lazily."""
        self._block_starts = starts
        self._by_block = {}

    def set(self, name: str, decorations: list[Decoration], *, order: int | None = None) -> list[tuple[int, int]]:
        """Replace one layer; returns the character ranges whose styling changed."""
        old = self._layers.get(name, [])
        self._layers[name] = decorations
        if name not in self._order:
            if order is None:
                self._order.append(name)
            else:
                self._order.insert(order, name)
        self._by_block.pop(name, None)
        return changed_ranges(old, decorations)

    def get(self, name: str) -> list[Decoration]:
        return self._layers.get(name, [])

    @property
    def order(self) -> list[str]:
        return list(self._order)

    def for_block(self, block: int) -> list[Decoration]:
        """The decorations touching one layout block, in layer order (later layers on top)."""
        out: list[Decoration] = []
        for name in self._order:
            out.extend(self._layer_by_block(name).get(block, ()))
        return out

    def _layer_by_block(self, name: str) -> dict[int, list[Decoration]]:
        blocks = self._by_block.get(name)
        if blocks is None:
            blocks = {}
            starts, last_block = self._block_starts, len(self._block_starts) - 1
            for d in self._layers.get(name, ()):
                if d.end <= d.start:
                    continue
                first = max(0, bisect_right(starts, d.start) - 1)
                last = max(0, bisect_right(starts, d.end - 1) - 1)
                for p in range(first, min(last, last_block) + 1):
                    blocks.setdefault(p, []).append(d)
            self._by_block[name] = blocks
        return blocks


def changed_ranges(old: list[Decoration], new: list[Decoration]) -> list[tuple[int, int]]:
    """Character ranges whose styling differs between two decoration lists."""
    old_set, new_set = set(old), set(new)
    return [(d.start, d.end) for d in (old_set ^ new_set)]


def component_style(widget, name: str) -> Style:
    """A component class as a Rich style to lay over text, its translucent background blended
    onto the widget's own (Rich has no alpha: "$warning 20%" must become a real colour)."""
    style = widget.get_component_rich_style(name, partial=True)
    styles = widget.get_component_styles(name)
    if styles.has_rule("background"):
        blended = widget.background_colors[1] + styles.background
        style = style + Style(bgcolor=blended.rich_color)
    return style
