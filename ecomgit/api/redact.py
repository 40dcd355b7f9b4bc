"""Keep credentials out of every message, log record and ``repr``.

The client applies one :class:`Redactor` to each URL and message it logs or raises, so a key or
secret that turns up anywhere (a base URL written as ``https://key:secret@host``, a shop error that
echoes the request, the Basic auth token) is replaced by ``***`` before it can leak.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"
_MIN_SECRET_LENGTH = 4  # shorter strings would mask ordinary words
_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")


class Redactor:
    """Replace known secrets, their Basic-auth token and any URL userinfo with ``***``."""

    def __init__(
        self, secrets: Iterable[str | None] = (), *, auth: tuple[str | None, str | None] | None = None
    ) -> None:
        """``secrets`` to mask; ``auth``: the (key, secret) pair sent, whose Basic token is masked too
        (without it, the token of ``secrets`` when they are exactly two)."""
        known = list(dict.fromkeys(s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH))
        tokens = set(known) | {quote(s, safe="") for s in known}
        if auth is None and len(known) == 2:
            auth = (known[0], known[1])
        if auth is not None and (auth[0] or auth[1]):
            tokens.add(base64.b64encode(f"{auth[0] or ''}:{auth[1] or ''}".encode()).decode("ascii"))
        # Longest first, so a secret that contains another is masked whole.
        self._tokens = sorted(tokens, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        text = _USERINFO.sub(rf"\g<scheme>{MASK}@", text)
        for token in self._tokens:
            text = text.replace(token, MASK)
        return text

    def __repr__(self) -> str:
        return f"Redactor({len(self._tokens)} secrets)"


def redact(text: str, *secrets: str | None) -> str:
    """Return ``text`` without the given secrets or any ``user:pass@`` in URLs."""
    return Redactor(secrets)(text)
