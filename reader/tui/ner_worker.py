"""NER for the article on screen, after the first frame and off the UI thread (issue 17).

The one piece of the reader that runs the statistical model. A screen owns one
`NerRunner`; once its first frame is drawn and the gazetteer is loaded it calls
`runner.start(article, app.session.entities)`. The runner schedules a thread worker after the next
refresh (so never in the first frame); the worker takes the cached spans or runs spaCy
(`reader.ner.service`), merges them with the article's mentions and posts
`NerRunner.CandidatesReady` to the screen, which draws the candidates faint and lists them
under "Not in the gazetteer". Without the `ner` extra nothing is scheduled and no message
comes: the reader is as before. spaCy is imported by the worker thread only.

Hooking it into the reader screen:

    self.ner = NerRunner(self)                        # in __init__
    self.ner.start(self.article, self.app.session.entities)   # after the mentions are applied, and
                                                      # in entities_ready() and after `A`
    def on_ner_runner_candidates_ready(self, message):  # message.article_id, .result
        ...  # draw message.result.candidates; message.result.links are known mentions
"""

from __future__ import annotations

import threading

from textual.message import Message

from reader.articles import Article


# The reader runs the model on articles up to this length: spaCy takes about a second per
# 1,000 words on a loaded machine, so a book-length text would keep a core busy for minutes
# (and hold the app's exit) for a bonus feature. `annotate --candidates` has no such limit.
MAX_WORDS = 30_000


class NerRunner:
    """Runs NER for one screen's article in a thread worker; results come back as a message."""

    class CandidatesReady(Message):
        """NER results for an article: `result.links` (NER spans matching entries) and
        `result.candidates` (names in no entry), see `reader.ner.merge.NerResult`."""

        def __init__(self, article_id: str, result) -> None:
            super().__init__()
            self.article_id = article_id
            self.result = result  # reader.ner.merge.NerResult (not imported: start-up stays light)

    def __init__(self, screen):
        self.screen = screen
        self._service = None
        self._service_for = None
        self._lock = threading.Lock()

    @staticmethod
    def enabled() -> bool:
        """The `ner` extra is installed (checked without importing spaCy)."""
        from reader.ner import available

        return available()

    def start(self, article: Article, entities) -> bool:
        """Schedule NER for `article` after the next refresh; False when it cannot run (no
        extra, gazetteer not loaded yet, article over MAX_WORDS). A later call for the same screen replaces it."""
        if entities is None or not self.enabled() or article.words > MAX_WORDS:
            return False
        self.screen.call_after_refresh(self._launch, article, entities)
        return True

    def _launch(self, article: Article, entities) -> None:
        self.screen.run_worker(lambda: self._run(article, entities), thread=True, group="ner",
                               exclusive=True, name=f"ner:{article.id}")

    def _run(self, article: Article, entities) -> None:
        from reader.ner.pipeline import NerUnavailable

        service = self._service_of(entities)
        try:
            result = service.result(article)
        except NerUnavailable:
            return
        self.screen.post_message(self.CandidatesReady(article.id, result))

    def _service_of(self, entities):
        with self._lock:
            if self._service is None or self._service_for is not entities:
                from reader.ner.service import NerService

                self._service = NerService(entities)
                self._service_for = entities
            return self._service
