"""`mali-reader serve`: the page, and the app's first frame arriving over the websocket."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from reader.cli import main, served_by_textual_serve

aiohttp = pytest.importorskip("aiohttp", reason="textual-serve (the 'serve' extra) is not installed")
pytest.importorskip("textual_serve", reason="textual-serve (the 'serve' extra) is not installed")

ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited with {proc.returncode}: {proc.stdout.read()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "reader", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=tmp_path, env=os.environ.copy())
    try:
        wait_for_port(port, proc)
        yield port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


async def first_frames(port: int, want: str, timeout: float = 40.0) -> str:
    """Connect like the page does and collect the app's output until `want` shows (bounded)."""
    buf = b""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=110&height=32") as ws:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    msg = await asyncio.wait_for(ws.receive(), max(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    break
                if msg.type == aiohttp.WSMsgType.BINARY:
                    buf += msg.data
                elif msg.type != aiohttp.WSMsgType.TEXT:
                    break
                text = ANSI.sub(b"", buf).decode("utf-8", "replace")
                if want in text:
                    await ws.send_json(["stdin", "q"])  # quit from the library, as a user would
                    return text
    raise AssertionError(f"{want!r} never arrived; got {ANSI.sub(b'', buf)[-1500:]!r}")


def test_serve_answers_with_the_page_and_the_app_over_the_websocket(server):
    with urllib.request.urlopen(f"http://127.0.0.1:{server}/", timeout=10) as response:
        assert response.status == 200
        page = response.read().decode("utf-8")
    assert "<div>mali-reader</div>" in page  # the app's name on textual-serve's start dialog
    assert f"ws://127.0.0.1:{server}/ws" in page
    text = asyncio.run(first_frames(server, "· enter opens"))
    # the library of bundled samples, drawn by a real app process, not "the app needs a terminal"
    assert "mali-reader — library" in text and "Gunmen storm the Radisson Blu" in text
    assert "needs a terminal" not in text


def test_the_tty_check_recognises_textual_serve(monkeypatch):
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not served_by_textual_serve()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert served_by_textual_serve()


def test_without_a_terminal_or_textual_serve_the_app_refuses(monkeypatch, capsys):
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.delenv("MALI_READER_FORCE_TUI", raising=False)
    assert main([]) == 2  # pytest's stdout is not a terminal
    assert "mali-reader serve" in capsys.readouterr().err


class FakeServer:
    made: list[dict] = []

    def __init__(self, command, **kwargs):
        FakeServer.made.append({"command": command, **kwargs})

    def serve(self) -> None:
        pass


def test_non_loopback_host_warns_and_loopback_does_not(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    FakeServer.made.clear()
    assert main(["serve", "--port", "9123"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["serve", "--host", "0.0.0.0", "--port", "9124", "--db", str(tmp_path / "x.db")]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "no authentication" in err and "0.0.0.0:9124" in err
    assert main(["serve", "--host", "::1", "--port", "9125"]) == 0
    assert "warning" not in capsys.readouterr().err
    first, second, _ = FakeServer.made
    assert (first["host"], first["port"]) == ("127.0.0.1", 9123)
    assert first["command"].startswith(f"{sys.executable} -m reader --config ")
    assert f"--db {tmp_path / 'x.db'}" in second["command"]


def test_a_bad_port_is_one_line(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == "mali-reader: --port 70000: not a TCP port (1-65535)"
