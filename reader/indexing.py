"""Indexing the whole library's mentions in other processes, so the app never waits for it.

Matching is pure Python: run in a thread of the app, 100,000 articles hold the interpreter
lock for minutes and every key press waits its turn. `index_library` hands a large backlog
to `python -m reader.indexing` worker processes instead (one per CPU, at most `MAX_PROCESSES`),
each taking the stale articles whose rowid falls in its share, matching them with its own
`Entities` and writing the mention cache through its own connection, a batch at a time (see
`Entities.index_library`). Nothing is lost by stopping them: the cache is the progress, and
the next run (in this session or after a restart) picks up what is still stale. A small
backlog is indexed in the calling thread, as before. Workers run at a lower priority
(`nice` 10) and stop by themselves when the process that started them goes away.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROCESS_THRESHOLD = 200  # below this many stale articles, a thread does it faster than starting processes
MAX_PROCESSES = 2
OTHER_KEY = 3  # a worker's exit code: its gazetteer differs from the caller's


def index_library(entities, *, stop: Callable[[], bool] | None = None, processes: int | None = None) -> int:
    """Cache the mentions of every stale article; returns how many were stale.

    `stop()` is polled (a worker's cancellation); when it returns true the workers are ended
    and what they finished stays cached."""
    stale = len(entities.stale_ids())
    if stale == 0:
        return 0
    if processes is None:
        processes = min(MAX_PROCESSES, os.cpu_count() or 1)
    path = entities.store.path
    if stale < PROCESS_THRESHOLD or processes < 1 or path is None or entities.store.read_only:
        entities.index_library(stop=stop)
        return stale
    command = [sys.executable, "-m", "reader.indexing", "--db", str(path), "--parent", str(os.getpid()),
               "--key", entities.key]
    if entities.gazetteer_path is not None:
        command += ["--gazetteer", str(entities.gazetteer_path)]
    errors = [tempfile.TemporaryFile() for _ in range(processes)]
    workers = [subprocess.Popen([*command, "--part", f"{i}/{processes}"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=errors[i])
               for i in range(processes)]
    try:
        while any(w.poll() is None for w in workers):
            if stop is not None and stop():
                break
            time.sleep(0.1)
    finally:
        for w in workers:
            if w.poll() is None:
                w.terminate()
        for w in workers:
            try:
                w.wait(timeout=5)
            except subprocess.TimeoutExpired:
                w.kill()
    codes = [w.returncode for w in workers]
    detail = ""
    for code, err in zip(codes, errors):
        if code not in (0, -15, OTHER_KEY) and not detail:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            detail = lines[-1] if lines else f"exit code {code}"
        err.close()
    if OTHER_KEY in codes and not (stop is not None and stop()):
        # the workers see another gazetteer than this app (a different config): do it here
        entities.index_library(stop=stop)
    elif detail:
        raise RuntimeError(f"a mention indexing process failed: {detail}")
    return stale


def _main(argv: list[str] | None = None) -> int:
    import argparse

    from reader.entities import Entities
    from reader.store import Store

    p = argparse.ArgumentParser(prog="python -m reader.indexing", description="index one share of the library")
    p.add_argument("--db", required=True)
    p.add_argument("--gazetteer")
    p.add_argument("--part", default="0/1", help="i/n: the articles whose rowid is i modulo n")
    p.add_argument("--parent", type=int, default=0, help="stop when this process is gone")
    p.add_argument("--key", default="", help="the gazetteer key the caller expects (exit 3 if it differs)")
    args = p.parse_args(argv)
    i, n = (int(x) for x in args.part.split("/"))
    try:
        os.nice(10)  # background work: the app (and the user's other programs) come first
    except (AttributeError, OSError):
        pass
    store = Store.open(Path(args.db), create=False)
    try:
        entities = Entities(store, Path(args.gazetteer) if args.gazetteer else None)
        if args.key and entities.key != args.key:
            return OTHER_KEY
        orphaned = (lambda: os.getppid() != args.parent) if args.parent else None
        entities.index_library(part=(i, n), stop=orphaned)
        if entities.cache_error:
            print(entities.cache_error, file=sys.stderr)
            return 1
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
