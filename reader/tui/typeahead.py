"""Keys typed ahead reach the widget they were typed for, in order.

Textual hands each key to whatever has focus *when the app reads it from the terminal*, and the
app reads a whole burst (a fast typist, `tmux send-keys`, a key held down) before any widget has
handled the first key. So in `/busy<enter>` the letters went to the article, not to the find bar
that `/` was about to open ("s" opened note search), and `a` followed by the note's text lost the
text because the editor was not mounted yet. A vim user expects typeahead to work: each key acts
on the state the previous keys left.

`KeyOrder` keeps that promise. A key that arrives while nothing is in flight goes straight on
(no added latency for ordinary typing). A key that arrives while an earlier one is still being
handled waits in a queue; the queue is released one key at a time once the app has settled:
every message queue in the app and its screens empty at two looks a few milliseconds apart, so
a focus change, a pushed screen or a mounted widget is in place. Settling is bounded (a worker
posting messages all the time cannot hold keys back for long), so the worst case is today's
behaviour, a little later. The bound is counted in the app's own CPU time, not the clock's: on a
loaded machine the app may get no CPU for a second, and a key released then would reach the
widget before the editor it was typed for had even been mounted (the suite lost a note's first
letter that way on a busy 2-core machine). A wall-clock bound several times longer still applies,
for a handler that waits on something outside the process. Pastes queue behind keys for the same
reason.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic, process_time

from textual import events

SETTLE_STEP = 0.004  # seconds between two looks at the message queues
SETTLE_LIMIT = 0.3  # never hold a key back for more than this much of the app's CPU time...
SETTLE_WALL_LIMIT = 2.0  # ...or this long by the clock


class KeyOrder:
    """Delivers terminal key and paste events one after another, each once the previous one
    has been handled. `deliver` is the app's own (unqueued) handler for one event."""

    def __init__(self, app, deliver) -> None:
        self._app = app
        self._deliver = deliver
        self._waiting: deque[events.Event] = deque()
        self._busy = False

    def wants(self, event: events.Event) -> bool:
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    async def take(self, event: events.Event) -> None:
        """Deliver `event` now, or after the ones before it once they have been handled."""
        if self._busy:
            self._waiting.append(event)
            return
        self._busy = True
        await self._deliver(event)
        asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while True:
                await self._settled()
                if not self._waiting or not self._app.is_running:
                    return
                event = self._waiting.popleft()
                try:
                    await self._deliver(event)
                except Exception as error:  # as the app's own message loop would
                    self._app._handle_exception(error)  # noqa: SLF001
                    return
        finally:
            self._busy = False
            if self._waiting and self._app.is_running:  # arrived between the last look and now
                event = self._waiting.popleft()
                self._app.call_later(self.take, event)

    async def _settled(self) -> None:
        cpu_deadline = process_time() + SETTLE_LIMIT
        wall_deadline = monotonic() + SETTLE_WALL_LIMIT
        quiet = 0
        while process_time() < cpu_deadline and monotonic() < wall_deadline:
            await asyncio.sleep(SETTLE_STEP)
            quiet = quiet + 1 if self._idle() else 0
            if quiet >= 2:
                return

    def _idle(self) -> bool:
        app = self._app
        pumps = [app, *app.screen_stack]
        try:
            pumps.extend(app.screen.walk_children(with_self=False))
        except Exception:  # no screen yet, or one being torn down
            return False
        return all(p.message_queue_size == 0 for p in pumps)
