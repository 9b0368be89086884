"""Helpers for Pilot tests: read what is on screen as plain text."""

from __future__ import annotations

import html
import re


def screen_text(app) -> str:
    """The current screen as text (from the SVG screenshot, which shows exactly what is drawn)."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    text = "".join(html.unescape(re.sub(r"<[^>]+>", "", t)) for t in lines)
    return text.replace("\xa0", " ")


async def wait_for(pilot, predicate, timeout: float = 5.0) -> bool:
    """Pause until `predicate()` is true (workers finish asynchronously)."""
    waited = 0.0
    while not predicate():
        if waited >= timeout:
            return False
        await pilot.pause(0.05)
        waited += 0.05
    return True
