"""A worker thread that keeps one file equal to the latest posted state (the recovery journal).

:meth:`Journal.post` hands the newest state to the worker and returns at once (the GUI thread
never waits for the disk, and never for a save). States posted while a write is running
coalesce: only the newest is written next, so the file trails the session by at most one
write. A failed write is retried every ``retry_seconds`` until it works or a newer state
arrives. Qt-free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Journal:
    """Run ``apply(state)`` on a worker thread for the newest posted state.

    ``apply`` returns ``None`` on success or a one-line error (an exception it raises counts as
    an error too: the worker keeps running and retries).
    """

    def __init__(
        self, name: str, apply: Callable[[Any], str | None], *, retry_seconds: float = 1.0
    ) -> None:
        self._name = name
        self._apply = apply
        self._retry = retry_seconds
        self._cond = threading.Condition()
        self._latest: Any = None
        self._posted = 0  # version of the newest state
        self._attempted = 0  # version last tried (written or failed)
        self._written = 0  # version last written
        self._closing = False
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def post(self, state: Any) -> None:
        """Make ``state`` the one to write next (replacing any not yet written)."""
        with self._cond:
            if self._closing:
                raise RuntimeError("the journal is closed")
            self._latest = state
            self._posted += 1
            self._cond.notify_all()
            if self._thread is None:
                # a daemon: a write cut short when the process ends leaves the previous file
                # intact (writes are atomic), as a crash would
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    @property
    def busy(self) -> bool:
        """True while the newest state has not been tried yet."""
        with self._cond:
            return self._attempted != self._posted

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._attempted == self._posted and not self._closing:
                    self._cond.wait()
                if self._attempted == self._posted:
                    return  # closing, nothing left
                version, state = self._posted, self._latest
            try:
                error = self._apply(state)
            except Exception as exc:  # never let one failure stop the journal
                error = f"{type(exc).__name__}: {exc}"
            with self._cond:
                self._attempted = version
                self.last_error = error
                if error is None:
                    self._written = version
                self._cond.notify_all()
                if error is not None and not self._closing and self._posted == version:
                    self._cond.wait(self._retry)  # a newer state wakes us at once
                    if self._posted == version:
                        self._attempted = version - 1  # try the same state again

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until the newest state was tried; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._attempted >= self._posted, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Try what is posted once more, then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
