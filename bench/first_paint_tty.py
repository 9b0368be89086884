"""First paint in a real terminal (run inside tmux by bench/startup.py --tty).

Launches the app on the terminal it is given, records the time from interpreter start to
the first frame, writes it to the file named by argv[1] and exits. `--empty` measures an
empty Textual App the same way, as the baseline.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def main() -> None:
    out, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "--empty":
        from textual.app import App

        class Probe(App):
            def on_mount(self) -> None:
                self.call_after_refresh(self.done)

            def done(self) -> None:
                out.write_text(f"{(time.perf_counter() - T0) * 1000:.1f}")
                self.exit()

        Probe().run()
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from reader.store import Store
    from reader.tui.app import MaliReaderApp

    import reader.tui.app as app_module

    class Probe(MaliReaderApp):
        CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # relative paths follow the subclass

        def _first_paint(self) -> None:
            out.write_text(f"{(time.perf_counter() - T0) * 1000:.1f}")
            self.exit()

    Probe(Store.open(mode)).run()


if __name__ == "__main__":
    main()
