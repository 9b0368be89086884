"""Background upkeep of the database while the user is idle (never on the UI thread).

Every `EVERY_S` seconds, if no key or mouse input came for `IDLE_S` seconds, a thread
worker on its own connection runs bounded FTS merge steps (`reader.maintenance.tidy`),
pausing between steps and stopping as soon as the user is back or nothing is left to merge.
Each step is one short transaction, so a UI write waits at most a few milliseconds. VACUUM is
never run here: it rewrites the file, so it belongs to `mali-reader maintain`.
"""

from __future__ import annotations

import time

from reader.maintenance import tidy
from reader.store import Store

IDLE_S = 30.0
EVERY_S = 60.0
STEPS = 50
PAUSE_S = 0.05


def start(app) -> None:
    """Schedule idle upkeep for `app` (which records `last_input`, a time.monotonic())."""
    if not app.session.store.read_only:
        app.set_interval(EVERY_S, lambda: maybe_tidy(app))


def idle(app) -> bool:
    return time.monotonic() - app.last_input >= IDLE_S


def maybe_tidy(app) -> bool:
    """Start the upkeep worker if the user is idle and none is running; True if started."""
    if app.session.store.read_only or not idle(app) or any(w.group == "tidy" and w.is_running for w in app.workers):
        return False
    app.run_worker(lambda: _run(app), thread=True, group="tidy", exclusive=True)
    return True


def _run(app) -> None:
    store = None
    try:
        store = Store.open(app.session.store.path)
        for _ in range(STEPS):
            if not idle(app) or not tidy(store):
                break
            time.sleep(PAUSE_S)
    except Exception as exc:  # noqa: BLE001 - upkeep is optional: a busy database just waits for next time
        app.log.warning(f"database upkeep skipped: {exc}")
    finally:
        if store is not None:
            store.close()
