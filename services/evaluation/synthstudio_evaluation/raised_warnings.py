"""Warnings that metric libraries raise, captured into the report instead of the server log.

SDMetrics and anonymeter say important things through `warnings.warn` (an attack no better than
its baseline) and through their loggers (anonymeter could build only 20 of 100 singling-out
queries, so its risk is underestimated). A reader of the report must see them; a log line on
the server helps nobody judging the data.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import warnings as python_warnings
from collections.abc import Iterator

from synthstudio_libs.errors import Warnings

#: Distinct messages kept per source; the rest are counted.
MAX_MESSAGES_PER_SOURCE = 10


class _ThreadHandler(logging.Handler):
    """Keeps the records logged by one thread (report jobs run side by side in a pool)."""

    def __init__(self, thread: int) -> None:
        super().__init__(logging.WARNING)
        self._thread = thread
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self._thread:
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def captured_warnings(
    notes: Warnings, source: str, loggers: tuple[str, ...] = ()
) -> Iterator[None]:
    """Adds each distinct warning raised (or logged at WARNING and above by `loggers`) inside
    the block to `notes`, prefixed with `source`."""
    handler = _ThreadHandler(threading.get_ident())
    for name in loggers:
        logging.getLogger(name).addHandler(handler)
    try:
        with python_warnings.catch_warnings(record=True) as caught:
            python_warnings.simplefilter("always")
            yield
    finally:
        for name in loggers:
            logging.getLogger(name).removeHandler(handler)
    messages = [str(item.message) for item in caught] + handler.messages
    distinct = list(dict.fromkeys(message.strip() for message in messages if message.strip()))
    for message in distinct[:MAX_MESSAGES_PER_SOURCE]:
        notes.add(f"{source}: {message}")
    if len(distinct) > MAX_MESSAGES_PER_SOURCE:
        notes.add(f"{source}: {len(distinct) - MAX_MESSAGES_PER_SOURCE} more distinct warnings.")
