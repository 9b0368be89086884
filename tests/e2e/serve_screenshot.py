"""Load `mali-reader serve` in headless Chromium as a person would, type keys, save screenshots.

    uv run python tests/e2e/serve_screenshot.py [--out DIR]

Starts `serve` on a free 127.0.0.1 port with a fresh database and config, opens the page in
Debian's `chromium` (driven over the DevTools protocol with aiohttp, which textual-serve
already brings), waits for the library, presses `j` twice and `enter`, waits for the reader,
and saves `serve-library.png` and `serve-screenshot.png` in DIR (default: the current
folder). Exits 0 when both screens were seen, 1 when one never came, and 77 (skipped) with
a reason when chromium or textual-serve is not installed. Not run by pytest: it needs a
browser; `tests/test_serve.py` covers the page and the websocket without one.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKIP = 77
BROWSERS = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--remote-debugging-port=0", "--window-size=1280,800", "about:blank")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")


ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


class Page:
    """Just enough of the DevTools protocol: commands, and the app's output as the page gets it.

    xterm.js draws on a canvas, so the page has no text to read; instead we listen to the
    websocket frames the page receives (Network.webSocketFrameReceived): the same bytes the
    terminal draws.
    """

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.output = b""
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            msg = json.loads(message.data)
            if "id" in msg and msg["id"] in self.pending:
                self.pending.pop(msg["id"]).set_result(msg)
            elif msg.get("method") == "Network.webSocketFrameReceived":
                frame = msg["params"]["response"]
                data = frame["payloadData"]
                self.output += base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()

    async def send(self, method: str, **params):
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        msg = await asyncio.wait_for(future, 30)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result", {})

    def text(self, since: int = 0) -> str:
        return ANSI.sub(b"", self.output[since:]).decode("utf-8", "replace")

    async def wait_for_text(self, needle: str, timeout: float, since: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text(since):
                return self.text(since)
            await asyncio.sleep(0.2)
        raise TimeoutError(f"{needle!r} never reached the page; last output: {self.text(since)[-400:]!r}")

    async def press(self, key: str, text: str = "", code: str = "", key_code: int = 0) -> None:
        base = {"key": key, "code": code or key, "windowsVirtualKeyCode": key_code}
        await self.send("Input.dispatchKeyEvent", type="keyDown", text=text, **base)
        await self.send("Input.dispatchKeyEvent", type="keyUp", **base)

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


async def drive(devtools_port: int, url: str, out: Path) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{devtools_port}/json/list") as r:
            targets = await r.json()
        target = next(t for t in targets if t.get("type") == "page")
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.send("Page.enable")
            await page.send("Network.enable")
            await page.send("Page.navigate", url=url)
            await page.wait_for_text("articles · enter opens", 60)
            await asyncio.sleep(1.0)  # let the canvas paint the last frame
            await page.screenshot(out / "serve-library.png")
            print(f"library shown; saved {out / 'serve-library.png'}")
            # a click on the title line gives the terminal the keyboard focus, as for a person
            # (a click on the list would open an article)
            for kind in ("mousePressed", "mouseReleased"):
                await page.send("Input.dispatchMouseEvent", type=kind, x=60, y=8, button="left",
                                clickCount=1)
            await asyncio.sleep(0.5)
            mark = len(page.output)
            for _ in range(2):
                await page.press("j", text="j", code="KeyJ", key_code=74)
                await asyncio.sleep(0.3)
            await page.press("Enter", text="\r", code="Enter", key_code=13)
            await page.wait_for_text("Next entity", 30, since=mark)  # the reader's footer
            # j, j, enter opened the third article of the library: its title is on the page
            await page.wait_for_text("Defeat in the Desert", 5, since=mark)
            await asyncio.sleep(2.0)  # highlights come once the gazetteer is loaded
            await page.screenshot(out / "serve-screenshot.png")
            print(f"article opened; saved {out / 'serve-screenshot.png'}")
            page.reader.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path.cwd(), help="folder for the PNG files")
    args = parser.parse_args()
    browser = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        print("SKIP: chromium is not installed (Debian: apt-get install chromium)")
        return SKIP
    try:
        import aiohttp  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError:
        print("SKIP: textual-serve is not installed (uv run --extra serve ...)")
        return SKIP
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mali-serve-e2e-") as tmp:
        env = dict(os.environ, MALI_READER_DB=f"{tmp}/reader.db", MALI_READER_CONFIG=f"{tmp}/config.toml",
                   MALI_READER_OVERLAY=f"{tmp}/overlay.toml")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "reader", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        profile = Path(tmp) / "chromium-profile"
        chrome = subprocess.Popen([browser, f"--user-data-dir={profile}", *CHROMIUM_FLAGS],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def listening() -> bool:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        return True
                except OSError:
                    return False

            wait(listening, 30, f"serve listening on 127.0.0.1:{port}")
            active = profile / "DevToolsActivePort"
            wait(lambda: active.exists() and active.read_text().strip(), 30, "chromium's DevTools port")
            devtools_port = int(active.read_text().split()[0])
            asyncio.run(drive(devtools_port, f"http://127.0.0.1:{port}/", args.out))
        except (TimeoutError, RuntimeError, OSError) as exc:
            print(f"FAILED: {exc}")
            return 1
        finally:
            chrome.terminate()
            server.send_signal(signal.SIGINT)
            for proc in (chrome, server):
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
