"""Cooperative cancellation: the cancel button flags a session, its request stops at the next step.

A thread busy in PyTorch cannot be stopped from outside, so the request checks the flag at every
denoising step (and before rendering each result); a request still waiting in the queue stops as soon
as it starts. Flags are only set for sessions with a request submitted or running, so a stray click
never cancels a later request.
"""
from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside a request whose session asked to cancel it."""


class CancelFlags:
    """Pending requests and cancel flags, one per session (Gradio's ``session_hash``)."""

    def __init__(self):
        self._pending: set[str] = set()
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()

    def submit(self, session: str) -> None:
        """A new request of ``session`` was submitted (it may wait in the queue): forget older cancels."""
        with self._lock:
            self._pending.add(session)
            self._cancelled.discard(session)

    def start(self, session: str) -> None:
        """The request of ``session`` starts running (a cancel made while it was queued still holds)."""
        with self._lock:
            self._pending.add(session)

    def request(self, session: str) -> bool:
        """Ask the request of ``session`` to stop; False if it has none submitted or running."""
        with self._lock:
            if session in self._pending:
                self._cancelled.add(session)
            return session in self._pending

    def check(self, session: str) -> None:
        """Raise :class:`Cancelled` if ``session`` asked to stop."""
        with self._lock:
            if session in self._cancelled:
                raise Cancelled("cancelled: the request was stopped before it finished")

    def finish(self, session: str) -> None:
        """The request of ``session`` ended (finished, failed or cancelled)."""
        with self._lock:
            self._pending.discard(session)
            self._cancelled.discard(session)
