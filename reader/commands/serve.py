"""`mali-reader serve`: the app in a web browser, through textual-serve (the `serve` extra).

textual-serve starts one app process per browser tab (our own command, with textual's web
driver), so every tab is a separate mali-reader on the same database; SQLite's WAL mode and
the store's busy handling let them write side by side. The page has no authentication:
it binds to the loopback address unless --host says otherwise, and warns when it does.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

from reader.commands.common import CliError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help="serve the app to a web browser",
                       description="Serve the app on a web page (each browser tab runs its own app on "
                                   "the same database). Needs the 'serve' extra: "
                                   "uv run --extra serve mali-reader serve")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}; anything else is reachable "
                        "from other machines and has no authentication)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--public-url", metavar="URL",
                   help="the address browsers use to reach this server, when it differs from "
                        "http://HOST:PORT (e.g. behind a proxy, or with --host 0.0.0.0)")
    p.set_defaults(handler=cmd_serve)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args) -> str:
    """The shell command textual-serve runs for each tab: this Python, this package, our options."""
    from reader.config import current

    command = [sys.executable, "-m", "reader", "--config", str(current().path.resolve())]
    if getattr(args, "db", None):
        command += ["--db", str(Path(args.db).expanduser().resolve())]
    return shlex.join(command)


def cmd_serve(args) -> int:
    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port}: not a TCP port (1-65535)", 2)
    try:
        from textual_serve.server import Server
    except ImportError:
        raise CliError("serving needs textual-serve: run 'uv run --extra serve mali-reader serve' "
                       "(or pip install 'mali-reader[serve]')") from None
    if not is_loopback(args.host):
        print(f"mali-reader: warning: listening on {args.host}:{args.port}, reachable from other "
              "machines; the page has no authentication: anyone who can reach it can read and change "
              "your library and notes", file=sys.stderr)
    server = Server(app_command(args), host=args.host, port=args.port, title="mali-reader",
                    public_url=args.public_url)
    try:
        server.serve()
    except OSError as exc:  # e.g. the port is taken
        raise CliError(f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})") from None
    return 0
