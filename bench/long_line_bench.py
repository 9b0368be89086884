"""Opening an article that is one very long line (issue 10: a 5 MB single line froze the reader).

    uv run python bench/long_line_bench.py [--mb 5]

Prints the time to the reader's first frame, to the highlights (computed in the background),
for three keys (pgdn, pgdn, G) and the peak RSS. Headless (App.run_test), so figures are
relative: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.importers.save import store_article  # noqa: E402
from reader.articles import Article  # noqa: E402
from reader.store import Store  # noqa: E402
from reader.tui.app import MaliReaderApp  # noqa: E402
from reader.tui.screens.reader import ReaderScreen  # noqa: E402
from reader.tui.widgets.article_view import ArticleView  # noqa: E402

WORDS = "Fighters near Gao and Kidal attacked a convoy while traders in Timbuktu waited for fuel".split()


async def run(store: Store) -> None:
    app = MaliReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.session.entities_or_none() is None:
            await pilot.pause(0.05)
        t0 = time.perf_counter()
        app.open_article("long-line")
        while not (isinstance(app.screen, ReaderScreen) and app.screen.query(ArticleView)):
            await pilot.pause(0.01)
        await pilot.pause()
        opened = time.perf_counter() - t0
        lines = app.screen.query_one(ArticleView).line_count
        while not app.screen.mentions:
            await pilot.pause(0.05)
        highlighted = time.perf_counter() - t0
        await pilot.pause(0.5)
        t1 = time.perf_counter()
        await pilot.press("pagedown", "pagedown", "G")
        await pilot.pause()
        keys = time.perf_counter() - t1
        mentions = len(app.screen.mentions)
    print(f"first frame {opened:.2f} s ({lines:,} lines) · highlights {highlighted:.2f} s "
          f"({mentions:,} mentions) · "
          f"3 keys {keys:.2f} s · peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="size of the one-line article in MB")
    args = ap.parse_args()
    body = " ".join(WORDS[i % len(WORDS)] for i in range(int(args.mb * 1e6 / 6)))
    store = Store.open(Path(tempfile.mkdtemp()) / "bench.db")
    store.set_setting("samples_imported", "bench")
    store_article(store, Article(id="long-line", title="One long line", body=body))
    asyncio.run(run(store))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
