"""Helpers for Pilot tests: read what is on screen as plain text, and wait for conditions.

Waiting is always for a condition, never for a fixed time: a loop of `pilot.pause()` (which
lets the app process its messages) that fails the test when the condition has not come
within `timeout` seconds.
"""

from __future__ import annotations

import asyncio
import html
import re
import time


def screen_text(app) -> str:
    """The current screen as text (from the SVG screenshot, which shows exactly what is drawn)."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    text = "".join(html.unescape(re.sub(r"<[^>]+>", "", t)) for t in lines)
    return text.replace("\xa0", " ")


async def wait_until(pilot, condition, timeout: float = 10.0, what=None) -> bool:
    """Let the app run until `condition()` is true; fail the test if it is not after `timeout` s.

    Returns True so that `assert await wait_until(...)` reads naturally.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            what = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or _describe(condition)}")
        await pilot.pause()
        await asyncio.sleep(0.005)  # let worker threads run between checks
    return True


wait_for = wait_until  # the older name, same behaviour


async def wait_for_workers(pilot, timeout: float = 10.0) -> None:
    """Wait until every worker of the app has finished, then let the UI catch up."""
    try:
        await asyncio.wait_for(pilot.app.workers.wait_for_complete(), timeout)
    except TimeoutError:
        running = [w.name or w.group for w in pilot.app.workers if w.is_running]
        raise AssertionError(f"workers still running after {timeout:g} s: {running}") from None
    await pilot.pause()


def _describe(condition) -> str:
    code = getattr(condition, "__code__", None)
    if code is None:
        return repr(condition)
    return f"the condition at {code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"


async def run_from_palette(pilot, query: str, expect: str, timeout: float = 10.0) -> None:
    """Open the command palette, type `query`, wait until a command showing `expect` is
    offered, move to it with the arrow keys (as a user would) and run it with enter."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p", *query)

    def prompts() -> list[str]:
        screen = pilot.app.screen
        if not isinstance(screen, CommandPalette):
            return []
        commands = screen.query_one(CommandList)
        return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]

    def highlighted() -> str:
        screen = pilot.app.screen
        commands = screen.query_one(CommandList) if isinstance(screen, CommandPalette) else None
        if commands is None or commands.highlighted is None:
            return ""
        return str(commands.get_option_at_index(commands.highlighted).prompt)

    await wait_until(pilot, lambda: any(expect.lower() in p.lower() for p in prompts()), timeout,
                     what=lambda: f"the palette to offer {expect!r} (offered: {prompts()!r})")
    for _ in range(len(prompts()) + 1):
        if expect.lower() in highlighted().lower():
            break
        await pilot.press("down")
    assert expect.lower() in highlighted().lower(), f"could not reach {expect!r} in {prompts()!r}"
    await pilot.press("enter")
