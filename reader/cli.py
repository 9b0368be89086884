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
from reader.commands.common import CliError

VERB_MODULES = (
    "reader.commands.library",
    "reader.commands.annotate",
    "reader.commands.notes",
    "reader.commands.importing",
    "reader.commands.config",
    "reader.commands.serve",
    "reader.commands.geo",
    "reader.commands.datasette",
    "reader.commands.maintain",
)

DESCRIPTION = (
    "A terminal reader for Sahel conflict reporting. Without a verb, opens the app "
    "(or FILE, a .txt/.md file, straight in the reader)."
)


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
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, tcsh)",
                       description="Print a tab-completion script for the verbs and options of "
                                   "mali-reader (needs the 'completion' extra: shtab). See README, "
                                   "'Shell completion', for where to put it.")
    p.add_argument("shell", choices=COMPLETION_SHELLS)
    p.set_defaults(handler=lambda args: _print_completion(parser, args.shell))
    return parser


COMPLETION_SHELLS = ("bash", "zsh", "tcsh")


def _print_completion(parser: argparse.ArgumentParser, shell: str) -> int:
    """The completion verb lives here, not in commands/: it describes the whole parser."""
    try:
        import shtab
    except ImportError:
        raise CliError("shell completion needs shtab: install the 'completion' extra "
                       "(pip install 'mali-reader[completion]', or uv sync --extra completion)") from None
    sys.stdout.write(shtab.complete(parser, shell=shell))
    return 0


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


_VALUE_OPTIONS = ("--db", "--config")
# verbs whose query may start with "-" (an exclusion: `search -ambush`)
QUERY_VERBS = ("search", "export")


def _first_word(argv: list[str]) -> int | None:
    """Index of the first argument that is not an option or the value of --db/--config."""
    skip = False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a in _VALUE_OPTIONS:
            skip = True
        elif a == "--":
            return i + 1 if i + 1 < len(argv) else None
        elif not a.startswith("-"):
            return i
    return None


def _protect_query(argv: list[str], verb_at: int, parser: argparse.ArgumentParser) -> list[str]:
    """Keep a query such as ``-ambush`` or ``fuel -"a b"`` from being read as options: the
    verb's own options stay options, every other word joins the query, placed after ``--``."""
    verb_parser = parser._subparsers._group_actions[0].choices[argv[verb_at]]  # noqa: SLF001
    known = verb_parser._option_string_actions  # noqa: SLF001
    options, words = [], []
    rest = argv[verb_at + 1:]
    i = 0
    while i < len(rest):
        a = rest[i]
        name = a.split("=", 1)[0]
        if a == "--":
            words.extend(rest[i + 1:])
            break
        if name in known:
            options.append(a)
            takes_value = known[name].nargs != 0 and "=" not in a
            if takes_value and i + 1 < len(rest):
                options.append(rest[i + 1])
                i += 1
        else:
            words.append(a)
        i += 1
    return argv[:verb_at + 1] + options + (["--", " ".join(words)] if words else [])


def _say_upgrading(path, old: int, new: int) -> None:
    print(f"mali-reader: upgrading {path} from schema {old} to {new} (once; a library with a million "
          "notes takes about a minute)", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    verbs = set(parser._subparsers._group_actions[0].choices) if parser._subparsers else set()  # noqa: SLF001
    # `mali-reader [--db PATH] FILE`: the first word that is neither an option nor an
    # option's value, and not a verb, is a file to open
    file = None
    first = _first_word(argv)
    if first is not None and argv[first] not in verbs and "-h" not in argv and "--help" not in argv:
        file = argv.pop(first)
    elif first is not None and argv[first] in QUERY_VERBS:
        argv = _protect_query(argv, first, parser)
    args = parser.parse_args(argv)
    from reader import config
    from reader.store import Store

    config.use(config.load_config(getattr(args, "config", None)))  # read once per invocation
    Store.on_upgrade = _say_upgrading
    try:
        if file is not None:
            if not Path(file).is_file():
                raise CliError(f"{file}: no such file (or not a verb; see 'mali-reader --help')", 2)
            return _launch(args, file)
        if args.verb is None:
            return _launch(args, None)
        return int(args.handler(args) or 0)
    except CliError as exc:
        if args.debug:  # the traceback too, but the same exit code
            import traceback

            traceback.print_exc()
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
