"""Short-lived per-app caches: the queue's status counts (10 s) and the dashboard (60 s).

Counting 200,000 flagged posts costs tens of milliseconds on PostgreSQL; officers page through
the queue far more often than the counts change. Entries live ``ttl`` seconds. Every
state-changing request in this process clears the count cache (``auth.db_session``), so an
officer's own decisions show at once; changes made by other processes (the crawler, another
server) show within ``ttl`` seconds. The dashboard is only ever refreshed by age.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

TTL_SECONDS = 10.0
MAX_ENTRIES = 256
_MISSING = object()


class TtlCache:
    def __init__(self, ttl: float = TTL_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl, self.max_entries = ttl, max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            stamp, value = self._entries.get(key, (0.0, _MISSING))
        if value is not _MISSING and now - stamp < self.ttl:
            return value
        value = compute()
        if value is not None:  # a count that ran out of time is retried next request
            with self._lock:
                self._entries[key] = (now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
