"""A bounded, thread-safe cache of validated answers keyed by (provider, model, prompt hash)."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CacheKey:
    """The provider and model asked, and the SHA-256 of the redacted prompt (which embeds the
    output schema, so a schema change misses the cache)."""

    provider: str
    model: str
    prompt_sha256: str


@dataclass(frozen=True)
class CachedAnswer:
    """A validated answer and the model that produced it."""

    output: dict[str, Any]
    model: str


class ResponseCache:
    """Least-recently-used eviction past `max_entries`; outputs are copied in and out, so a
    caller mutating its answer cannot change the cached one."""

    def __init__(self, max_entries: int = 512) -> None:
        self._max_entries = max_entries
        self._entries: OrderedDict[CacheKey, tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> CachedAnswer | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        output, model = entry
        return CachedAnswer(output=json.loads(output), model=model)

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        with self._lock:
            self._entries[key] = (json.dumps(answer.output), answer.model)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
