"""An entity's timeline (see reader.timeline): a sparkline of mentions per month across the
library, then dated facts, articles and notes, newest first, under year/month headings.
`enter` on an article or note posts `ItemChosen`; the screen decides what to open."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.timeline import Timeline, TimelineItem

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MARKS = {"fact": "◆", "article": "▪", "note": "✎"}


def heading(year: str, month: str) -> str:
    if month:
        return f"{MONTHS[int(month[5:7]) - 1]} {year}"
    return year or "Undated"


def item_label(item: TimelineItem) -> Text:
    text = Text(f"{item.date[8:10] or '  '} ", style="dim")
    text.append(MARKS.get(item.kind, "·") + " ", style="bold" if item.kind == "fact" else "")
    text.append(item.text, style="italic" if item.kind == "fact" else "")  # plain: titles are not markup
    if item.kind == "article" and item.mentions:
        text.append(f" ×{item.mentions}", style="dim")
    return text


class TimelineView(Vertical):
    DEFAULT_CSS = """
    TimelineView { height: 1fr; }
    TimelineView #timeline-title { height: 1; text-style: bold; }
    TimelineView #sparkline { height: auto; color: $accent; }
    TimelineView OptionList { height: 1fr; border: none; padding: 0; }
    """

    @dataclass
    class ItemChosen(Message):
        item: TimelineItem

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.timeline: Timeline | None = None
        self._items: dict[str, TimelineItem] = {}

    def compose(self) -> ComposeResult:
        yield Static("Timeline", id="timeline-title")
        yield Static("", id="sparkline")
        yield OptionList(id="timeline-items")

    def _draw_sparkline(self) -> None:
        timeline = self.timeline
        if timeline is None:
            return
        spark = Text()
        if timeline.months:
            width = self.content_size.width
            spark.append(timeline.sparkline(width if width >= 10 else 40))
            spark.append(f"\n{timeline.months[0][0]} … {timeline.months[-1][0]} · mentions per month", style="dim")
        else:
            spark.append("No dated article mentions it yet.", style="dim")
        self.query_one("#sparkline", Static).update(spark)

    def on_resize(self) -> None:
        self._draw_sparkline()

    def show(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._draw_sparkline()
        options: list[Option] = []
        self._items = {}
        for year, month, items in timeline.groups():
            options.append(Option(Text(heading(year, month), style="bold underline"), disabled=True))
            for i, item in enumerate(items):
                key = f"{len(self._items)}"
                self._items[key] = item
                options.append(Option(item_label(item), id=key, disabled=item.kind == "fact"))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)

    @on(OptionList.OptionSelected, "#timeline-items")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._items.get(event.option.id or "")
        if item is not None and item.article_id:
            self.post_message(self.ItemChosen(item))
