"""A small synchronous event bus for the pipeline's ``telemetry:*`` events (spec §0.1).

Like the game's ``EventBus``, ``emit`` calls every handler in subscription order and
isolates them: a handler that raises is logged and the export goes on. ``subscribe_all``
lets a view (the GUI's events dock) or the CLI's progress log see every event.
Handlers run on the emitting thread — a Qt subscriber must re-post to the GUI thread.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)

EXPORT_STARTED = "telemetry:export_started"
ARTIFACT_FAILED = "telemetry:artifact_failed"
ARTIFACTS_WRITTEN = "telemetry:artifacts_written"
EXPORT_COMPLETED = "telemetry:export_completed"
EXPORT_FAILED = "telemetry:export_failed"
EXPORT_BUDGET_STATUS = "telemetry:export_budget_status"
CI_PUBLISH_STARTED = "telemetry:ci_publish_started"
CI_PUBLISH_COMPLETED = "telemetry:ci_publish_completed"
CI_PUBLISH_FAILED = "telemetry:ci_publish_failed"
# Not in the game: one per artifact × writer, so a progress bar / result panel can follow along.
ARTIFACT_WRITTEN = "telemetry:artifact_written"

Handler = Callable[[Any], Any]
AnyHandler = Callable[[str, Any], Any]


class EventBus:
    """``on(name, handler)`` / ``subscribe_all(handler)`` / ``emit(name, payload)``."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self._any: list[AnyHandler] = []
        self._lock = threading.Lock()

    def on(self, name: str, handler: Handler) -> Callable[[], None]:
        """Call ``handler(payload)`` for every ``name`` event; returns an unsubscribe function."""
        with self._lock:
            self._handlers.setdefault(name, []).append(handler)
        return lambda: self.off(name, handler)

    def off(self, name: str, handler: Handler) -> None:
        with self._lock:
            handlers = self._handlers.get(name, [])
            if handler in handlers:
                handlers.remove(handler)

    def subscribe_all(self, handler: AnyHandler) -> Callable[[], None]:
        """Call ``handler(name, payload)`` for every event; returns an unsubscribe function."""
        with self._lock:
            self._any.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._any:
                    self._any.remove(handler)
        return unsubscribe

    def emit(self, name: str, payload: Any = None) -> None:
        """Deliver ``payload`` to the handlers of ``name``, then to catch-all handlers."""
        with self._lock:
            handlers = list(self._handlers.get(name, ()))
            catch_all = list(self._any)
        for handler in handlers:
            try:
                handler(payload)
            except Exception:
                log.exception("event handler for %s failed", name)
        for any_handler in catch_all:
            try:
                any_handler(name, payload)
            except Exception:
                log.exception("catch-all event handler failed on %s", name)


class EventRecorder:
    """Collects ``(name, payload)`` pairs — for tests, the CLI summary and the GUI dock."""

    def __init__(self, bus: EventBus | None = None) -> None:
        self.events: list[tuple[str, Any]] = []
        if bus is not None:
            bus.subscribe_all(self)

    def __call__(self, name: str, payload: Any) -> None:
        self.events.append((name, payload))

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.events]
