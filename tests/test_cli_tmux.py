"""`mali-reader --db PATH FILE` in a real terminal (tmux): the file opens in the reader."""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def test_db_before_a_file_opens_it_in_the_reader(tmp_path):
    db = tmp_path / "elsewhere.db"
    report = tmp_path / "menaka-wells.md"
    report.write_text("---\ntitle: Wells dug near Ménaka\n---\n\nThe wells near Ménaka were finished in May.\n",
                      "utf-8")
    socket = f"mali-reader-test-{tmp_path.name}"
    tmux = ["tmux", "-L", socket]
    command = shlex.join([sys.executable, "-m", "reader", "--db", str(db), str(report)])
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-x", "110", "-y", "30", command],
                   check=True, timeout=30)
    try:
        screen = ""
        deadline = time.monotonic() + 90  # a loaded machine is slow to start Python and Textual
        while time.monotonic() < deadline:
            r = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True, timeout=30)
            screen = r.stdout
            if "finished in May" in screen:
                break
            time.sleep(0.5)  # polling the terminal, not waiting for a fixed effect
        assert "finished in May" in screen, screen
        assert "Wells dug near Ménaka" in screen
        assert "invalid choice" not in screen
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, timeout=30)
    with sqlite3.connect(db) as conn:  # the file went into the database named by --db
        titles = [r[0] for r in conn.execute("SELECT title FROM articles")]
    assert "Wells dug near Ménaka" in titles
