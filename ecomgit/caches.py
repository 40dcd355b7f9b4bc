"""The process-wide caches, cleared together by a process that runs for weeks (``ecomgit watch``).

Each is bounded (the largest: 16 tree listings, 64 MB of blobs, 4 096 parsed product files: a
few hundred MB on a 10 000-product mirror), and each pays within one command (the records of a history read once per
command; the YAML scalars a sync writes again and again). A long-running process clears them after
each of its syncs, so they hold what one sync needs and no more: the history they describe moves
with every commit, and the text of products edited weeks ago is not needed again.
"""

from __future__ import annotations

from ecomgit import commits, records
from ecomgit.mirror import emitter, validate, yamlio
from ecomgit.write import edits


def clear() -> None:
    for cached in (records._records, records._graph, records._pending, edits._merges_between, emitter._string):
        cached.cache_clear()
    validate._comment_lines.cache_clear()
    commits.forget()  # tree listings (up to 16) and blobs (up to 64 MB)
    yamlio.forget()  # parsed product files (up to 4 096)
