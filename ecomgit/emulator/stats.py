"""Request counts, for tests and benchmarks (``GET /_emulator/stats.json``).

``connections`` counts the TCP connections the socket server accepted (keep-alive carries many
requests on one).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.cdn = 0
        self.connections = 0
        self.by_path: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()

    def count_api(self, pattern: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_path[pattern] += 1

    def count_status(self, status: int) -> None:
        with self._lock:
            self.by_status[status] += 1

    def count_cdn(self) -> None:
        with self._lock:
            self.cdn += 1

    def count_connection(self) -> None:
        with self._lock:
            self.connections += 1

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.cdn = 0
            self.connections = 0
            self.by_path.clear()
            self.by_status.clear()

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "by_path": dict(sorted(self.by_path.items())),
                "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
                "cdn": self.cdn,
                "connections": self.connections,
            }
