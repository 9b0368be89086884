"""`mali-reader config path|show|init`: where the config file is, what is in force, a starter file.

`show` and `init` read the app's bindings (to check binding ids and to list them), which
imports the TUI modules; `path` stays import-light.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from reader.commands.common import CliError


def register(sub, common) -> None:
    p = sub.add_parser("config", parents=[common], help="the config file: path, show, init",
                       description="The config file (theme, sidebar, reading width, paths, keymap).")
    verbs = p.add_subparsers(dest="config_verb", metavar="ACTION", required=True)
    q = verbs.add_parser("path", parents=[common], help="print the config file's path",
                         description="Print the path of the config file in force (it may not exist yet).")
    q.add_argument("--json", action="store_true", help='one JSON object {"path","exists"}')
    q.set_defaults(handler=cmd_path)
    q = verbs.add_parser("show", parents=[common], help="print the settings in force",
                         description="Print the settings in force (defaults for anything the file does "
                                     "not set or sets wrongly); problems go to stderr, exit code 1.")
    q.add_argument("--json", action="store_true", help="one JSON object")
    q.set_defaults(handler=cmd_show)
    q = verbs.add_parser("init", parents=[common], help="write a commented default config file",
                         description="Write a config file listing every setting and every binding id "
                                     "with its default keys, all commented out.")
    q.add_argument("--force", action="store_true", help="overwrite an existing file")
    q.add_argument("--json", action="store_true", help='one JSON object {"path","written": true}')
    q.set_defaults(handler=cmd_init)


def cmd_path(args) -> int:
    from reader.config import current

    path = current().path
    print(json.dumps({"path": str(path), "exists": path.exists()}, ensure_ascii=False) if args.json else path)
    return 0


def _checked_config():
    from reader.config import current
    from reader.tui.bindings import binding_catalogue

    config = current()
    config.check_keymap(binding_catalogue())
    return config


def _database(args) -> tuple[Path, str]:
    from reader.store import default_db_path

    if getattr(args, "db", None):
        return Path(args.db), "--db"
    if os.environ.get("MALI_READER_DB"):
        return default_db_path(), "$MALI_READER_DB"
    from reader.config import current

    return default_db_path(), "config" if current().database else "default"


def _overlay() -> tuple[Path, str]:
    from reader.config import current
    from reader.gazetteer.overlay import ENV_VAR, default_overlay_path

    if os.environ.get(ENV_VAR):
        return default_overlay_path(), f"${ENV_VAR}"
    return default_overlay_path(), "config" if current().overlay else "default"


def cmd_show(args) -> int:
    config = _checked_config()
    database, database_from = _database(args)
    overlay, overlay_from = _overlay()
    if args.json:
        data = config.as_dict()
        data.update(database=str(database), database_from=database_from,
                    overlay=str(overlay), overlay_from=overlay_from,
                    problems=[str(i) for i in config.issues])
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(f"# {config.path}" + ("" if config.exists else " (does not exist: all defaults)"))
        print(f"theme = {json.dumps(config.theme) if config.theme else '(the default theme)'}")
        print(f"sidebar = {json.dumps(config.sidebar)}")
        print(f"reading_width = {config.reading_width}")
        print(f"database = {json.dumps(str(database))}  # from {database_from}")
        print(f"overlay = {json.dumps(str(overlay))}  # from {overlay_from}")
        for binding_id, keys in config.keymap.items():
            print(f"keymap.{binding_id} = {json.dumps(keys)}")
    for issue in config.issues:
        print(f"mali-reader: {issue}", file=sys.stderr)
    return 1 if config.issues else 0


def cmd_init(args) -> int:
    from reader.config import current
    from reader.tomledit import TomlEditError, write_text_atomically
    from reader.tui.bindings import default_config_text

    path = current().path
    if path.exists() and not args.force:
        raise CliError(f"{path}: already exists; keep it, or overwrite it with 'mali-reader config init --force'")
    try:
        write_text_atomically(path, default_config_text())
    except TomlEditError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps({"path": str(path), "written": True}, ensure_ascii=False) if args.json else path)
    return 0
