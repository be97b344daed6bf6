"""A background thread that drains a database queue (the search outbox, the OCR queue) every
`interval` seconds or as soon as `wake()` is called. The database is the truth: a failed pass
leaves the jobs queued for the next one."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

log = logging.getLogger(__name__)


class Drainer(ABC):
    """Subclasses give `name`, `failure` (what the log says) and `drain_once()`."""

    name = "archive-drainer"
    failure = "draining failed; the jobs stay queued"

    def __init__(self, archive, interval: float = 2.0) -> None:
        self.archive, self.interval = archive, interval
        self._event, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    @abstractmethod
    def drain_once(self) -> None:
        """One pass over the queue."""

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._event.set()

    def stop(self) -> None:
        self._stop.set()
        self._event.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain_once()
            except Exception:
                log.exception(self.failure)
            self._event.wait(self.interval)
            self._event.clear()
