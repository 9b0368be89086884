"""The reader's NER worker (issue 17): after the first frame, off the UI thread, results as a
message the screen shows. A minimal screen stands in for the reader screen here."""

from __future__ import annotations

import threading

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from reader.entities import Entities
from reader.importers.save import store_article
from reader.articles import Article
from reader.ner import service as ner_service
from reader.ner.pipeline import NerSpan
from reader.tui.ner_worker import NerRunner
from tests.tui_helpers import wait_until

TEXT = "Men said the convoy from Kidal was stopped near Dialakoro, and Dialakoro was emptied."


class Probe(Screen):
    def __init__(self, article, entities):
        super().__init__()
        self.article, self.entities = article, entities
        self.ner = NerRunner(self)

    def compose(self) -> ComposeResult:
        yield Static("no candidates", id="out")

    def on_mount(self) -> None:
        self.ner.start(self.article, self.entities)

    def on_ner_runner_candidates_ready(self, message: NerRunner.CandidatesReady) -> None:
        names = sorted({c.text for c in message.result.candidates})
        self.query_one("#out", Static).update(f"{message.article_id}: " + ", ".join(names))


class ProbeApp(App):
    def __init__(self, screen):
        super().__init__()
        self._probe = screen

    def on_mount(self) -> None:
        self.push_screen(self._probe)


class Calls(list):
    """Whether each model call ran on the main thread; the model waits for `release`."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()


@pytest.fixture
def model(monkeypatch):
    calls = Calls()

    def entities(text, lang):
        calls.append(threading.current_thread() is threading.main_thread())
        assert calls.release.wait(10), "the test never released the model"
        s = text.find("Dialakoro")
        return [NerSpan(s, s + 9, "GPE")]

    monkeypatch.setattr(ner_service, "entities", entities)
    monkeypatch.setattr(ner_service, "available", lambda lang=None: True)
    monkeypatch.setattr(ner_service, "pipeline_module", lambda lang: "fake")
    monkeypatch.setattr(NerRunner, "enabled", staticmethod(lambda: True))
    return calls


async def wait_for(pilot, cond, what: str):
    await wait_until(pilot, cond, timeout=10.0, what=what)


async def test_candidates_arrive_after_the_first_frame_from_a_worker_thread(store, model):
    article = Article(id="a1", title="Convoy", body=TEXT)
    store_article(store, article)
    probe = Probe(article, Entities(store))
    app = ProbeApp(probe)
    async with app.run_test() as pilot:
        out = probe.query_one("#out", Static)
        await wait_for(pilot, lambda: len(model) == 1, "the model to start")
        await pilot.pause()
        assert str(out.content) == "no candidates"  # the screen is drawn and usable meanwhile
        model.release.set()
        await wait_for(pilot, lambda: str(out.content) != "no candidates", "the NER message")
        assert str(out.content) == "a1: Dialakoro"
    assert model == [False]  # ran once, not on the UI thread


async def test_nothing_is_scheduled_without_the_extra(store, monkeypatch):
    monkeypatch.setattr(NerRunner, "enabled", staticmethod(lambda: False))
    article = Article(id="a1", title="Convoy", body=TEXT)
    store_article(store, article)
    probe = Probe(article, Entities(store))
    async with ProbeApp(probe).run_test() as pilot:
        await pilot.pause()
        assert probe.ner.start(article, probe.entities) is False
        assert not [w for w in probe.workers if w.group == "ner"]
        assert str(probe.query_one("#out", Static).content) == "no candidates"
