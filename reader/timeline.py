"""An entity's timeline: dated facts from the gazetteer (founded, dissolved, born, died, the
dates of events it is linked to, groups a person founded) and the dated articles and notes
that mention it, newest first, grouped by year and month; and its mentions per month across
the library (the data for a sparkline)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.gazetteer import Entry, Gazetteer

SPARK = "▁▂▃▄▅▆▇█"
UNDATED = ""


@dataclass(frozen=True)
class TimelineItem:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD ("" when undated)
    kind: str  # fact | article | note
    text: str
    article_id: str = ""
    offset: int | None = None
    note_id: str = ""
    mentions: int = 0
    entity_id: str = ""  # for facts: the entry they come from

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def month(self) -> str:
        return self.date[:7] if len(self.date) >= 7 else ""

    def as_dict(self) -> dict:
        d = {"date": self.date, "kind": self.kind, "text": self.text}
        if self.article_id:
            d["article_id"] = self.article_id
        if self.offset is not None:
            d["offset"] = self.offset
        if self.note_id:
            d["note_id"] = self.note_id
        if self.mentions:
            d["mentions"] = self.mentions
        if self.entity_id:
            d["entity_id"] = self.entity_id
        return d


@dataclass
class Timeline:
    entity_id: str
    name: str
    items: list[TimelineItem] = field(default_factory=list)  # newest first, undated last
    months: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM, mentions), every month

    def groups(self) -> list[tuple[str, str, list[TimelineItem]]]:
        """(year, month or "", items) in order: items dated to the year only come after its months."""
        out: list[tuple[str, str, list[TimelineItem]]] = []
        for item in self.items:
            key = (item.year, item.month)
            if out and (out[-1][0], out[-1][1]) == key:
                out[-1][2].append(item)
            else:
                out.append((key[0], key[1], [item]))
        return out

    def sparkline(self, width: int = 60) -> str:
        return sparkline([n for _, n in self.months], width)

    def as_dict(self) -> dict:
        return {"entity_id": self.entity_id, "name": self.name,
                "items": [i.as_dict() for i in self.items],
                "mentions_per_month": [{"month": m, "mentions": n} for m, n in self.months]}


def sparkline(values: list[int], width: int = 60) -> str:
    """Block characters, one per value; more values than `width` are summed into buckets."""
    if not values or width <= 0:
        return ""
    if len(values) > width:
        size = -(-len(values) // width)
        values = [sum(values[i:i + size]) for i in range(0, len(values), size)]
    top = max(values)
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(" " if v <= 0 else SPARK[min(len(SPARK) - 1, (v * len(SPARK) - 1) // top)] for v in values)


def _sort_key(item: TimelineItem) -> tuple:
    # newest first; within a year, month-precise dates before the year-only ones; undated last
    d = item.date
    return (d != UNDATED, d[:4], len(d) > 4, d, item.kind == "fact")


def entry_facts(gazetteer: Gazetteer, entry: Entry) -> list[TimelineItem]:
    facts: list[TimelineItem] = []

    def add(date: str, text: str, source: Entry) -> None:
        if date:
            facts.append(TimelineItem(date, "fact", text, entity_id=source.id))

    add(entry.founded, "founded", entry)
    add(entry.dissolved, "dissolved", entry)
    add(entry.born, "born", entry)
    add(entry.died, "died", entry)
    if entry.type == "event":
        add(entry.date, f"{entry.name} began" if entry.end else entry.name, entry)
        add(entry.end, f"{entry.name} ended", entry)
    seen = {entry.id}
    # events linked either way (took part in, party to, located in, …)
    linked = [(link.rel, link.to) for link in entry.links] + [(rel, frm) for rel, frm in gazetteer.backlinks(entry.id)]
    for rel, other_id in linked:
        other = gazetteer.get(other_id)
        if other is None or other.id in seen:
            continue
        if other.type == "event" and other.date:
            seen.add(other.id)
            add(other.date, other.name, other)
        elif rel == "founder of" and other.founded:
            seen.add(other.id)
            add(other.founded, f"founded {other.name}", other)
        elif rel == "successor of" and other.dissolved:
            seen.add(other.id)
            add(other.dissolved, f"succeeded {other.name}", other)
    return facts


def entity_timeline(store, gazetteer: Gazetteer, entity_id: str, *, limit: int = 500) -> Timeline | None:
    """The timeline of `entity_id` (None when the gazetteer has no such entry).

    Articles come from the mention cache (`article_entities`): index the library first.
    """
    entry = gazetteer.get(entity_id)
    if entry is None:
        return None
    items = entry_facts(gazetteer, entry)
    conn = store.conn
    for article_id, title, date, mentions, first in conn.execute(
            "SELECT a.id, a.title, a.date, e.mentions, e.first_offset FROM article_entities e"
            " JOIN articles a ON a.id = e.article_id WHERE e.entity_id = ?"
            " ORDER BY a.date DESC, a.title LIMIT ?", (entity_id, limit)):
        items.append(TimelineItem(date or UNDATED, "article", title, article_id=article_id, offset=first,
                                  mentions=mentions))
    for note_id, article_id, body, quote, start, created in conn.execute(
            "SELECT n.id, n.article_id, n.body, n.quote, n.start, n.created FROM notes n"
            " JOIN note_entities e ON e.note_seq = n.seq WHERE e.entity_id = ?"
            " ORDER BY n.created DESC LIMIT ?", (entity_id, limit)):
        first_line = ((body or "").strip().splitlines() or [quote or ""])[0]
        items.append(TimelineItem((created or "")[:10], "note", first_line[:120], article_id=article_id,
                                  offset=start, note_id=note_id))
    items.sort(key=_sort_key, reverse=True)
    return Timeline(entry.id, entry.name, items, mentions_per_month(store, entity_id))


def mentions_per_month(store, entity_id: str) -> list[tuple[str, int]]:
    """Mentions of the entity in each month from its first dated article to its last (zeros kept)."""
    rows = store.conn.execute(
        "SELECT substr(a.date, 1, 7) AS m, SUM(e.mentions) FROM article_entities e"
        " JOIN articles a ON a.id = e.article_id WHERE e.entity_id = ? AND length(a.date) >= 7"
        " GROUP BY m ORDER BY m", (entity_id,)).fetchall()
    if not rows:
        return []
    counts = {m: int(n) for m, n in rows}
    year, month = int(rows[0][0][:4]), int(rows[0][0][5:7])
    last = rows[-1][0]
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= last:
            break
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out
