"""The `mali-reader` command: launches the TUI, or runs a scripting verb.

Kept import-light: `--help`, `--version` and the verbs never import Textual; the TUI is
imported only when the app is launched. Each verb lives in a module under
`reader/commands/` exposing ``register(subparsers, common)``; its handler receives the
parsed arguments and returns an exit code. User-facing errors are one line on stderr
(tracebacks only with ``--debug``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from reader import __version__

VERB_MODULES = (
    "reader.commands.library",
    "reader.commands.annotate",
    "reader.commands.notes",
    "reader.commands.importing",
    "reader.commands.config",
    "reader.commands.serve",
    "reader.commands.geo",
)

DESCRIPTION = (
    "A terminal reader for Sahel conflict reporting. Without a verb, opens the app "
    "(or FILE, a .txt/.md file, straight in the reader)."
)


class CliError(Exception):
    """An error to print as one line, exit code 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def common_options(*, for_verbs: bool = False) -> argparse.ArgumentParser:
    """--db/--config/--debug, accepted before or after the verb.

    The verbs' copies default to SUPPRESS so that `mali-reader --db X notes` keeps X
    instead of the verb parser resetting it.
    """
    common = argparse.ArgumentParser(add_help=False)
    extra = {"default": argparse.SUPPRESS} if for_verbs else {}
    common.add_argument("--db", metavar="PATH", help="database file (default: $MALI_READER_DB or the user data dir)",
                        **extra)
    common.add_argument("--config", metavar="PATH",
                        help="config file (default: $MALI_READER_CONFIG or config.toml in the user config dir)",
                        **extra)
    common.add_argument("--debug", action="store_true", help="show tracebacks on errors", **extra)
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options(for_verbs=True)
    parser = argparse.ArgumentParser(prog="mali-reader", description=DESCRIPTION, parents=[common_options()])
    parser.add_argument("--version", action="version", version=f"mali-reader {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in VERB_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def open_store(args: argparse.Namespace, *, create: bool = True):
    """The Store named by --db / MALI_READER_DB / the default, samples loaded on first run."""
    from reader.store import Store, StoreError

    try:
        store = Store.open(Path(args.db) if getattr(args, "db", None) else None, create=create)
        from reader.importers.save import import_samples

        for line in import_samples(store):
            print(f"mali-reader: skipped sample {line}", file=sys.stderr)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    return store


def served_by_textual_serve() -> bool:
    """True in a process that textual-serve started for a browser tab.

    textual-serve runs our command once per tab with stdin/stdout as pipes and
    ``TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver``; that driver speaks its own
    protocol on the pipes, so no terminal is needed.
    """
    return os.environ.get("TEXTUAL_DRIVER", "").endswith("web_driver:WebDriver")


def _launch(args: argparse.Namespace, file: str | None) -> int:
    if (not sys.stdout.isatty() and not served_by_textual_serve()
            and not os.environ.get("MALI_READER_FORCE_TUI")):
        raise CliError("the app needs a terminal; use a verb such as 'mali-reader articles' in scripts, "
                       "or 'mali-reader serve' for a browser", 2)
    from reader import config
    from reader.tui.app import run_app

    return run_app(db=args.db, open_file=file, debug=args.debug, config=config.current())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    verbs = set(parser._subparsers._group_actions[0].choices) if parser._subparsers else set()  # noqa: SLF001
    # `mali-reader FILE`: the first non-option word is not a verb.
    file = None
    words = [a for a in argv if not a.startswith("-")]
    if words and words[0] not in verbs and "-h" not in argv and "--help" not in argv:
        first = words[0]
        # `--db PATH` / `--config PATH` consume a word that is not the file
        if not (argv.index(first) > 0 and argv[argv.index(first) - 1] in ("--db", "--config")):
            file = first
            argv.remove(first)
    args = parser.parse_args(argv)
    from reader import config

    config.use(config.load_config(getattr(args, "config", None)))  # read once per invocation
    try:
        if file is not None:
            if not Path(file).is_file():
                raise CliError(f"{file}: no such file (or not a verb; see 'mali-reader --help')", 2)
            return _launch(args, file)
        if args.verb is None:
            return _launch(args, None)
        return int(args.handler(args) or 0)
    except CliError as exc:
        if args.debug:
            raise
        print(f"mali-reader: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # e.g. `mali-reader articles | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
