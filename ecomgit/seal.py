"""Seals: what makes a record commit unforgeable by a pull request.

A record (see :mod:`ecomgit.records`) tells which product files are what the shop held, and so
which edits are no longer pending. Its trailers are plain text: anyone who can open a pull request
can end a commit with ``Ecomgit-Sync:`` and a computed ``Ecomgit-Record:`` line, and the merged
edit would then count as "already in the shop", for the next sync to overwrite. So every record a
sync, push or restore makes carries ``Ecomgit-Seal: <key id> <mac>``: an HMAC-SHA256 of what the
record claims (kind, products tree, moment, the products it read and held), keyed by a secret that
only the steps that write to the shop hold:

- ``ECOMGIT_SEAL_KEY`` when set (one key for a team whose members use several API keys, and the
  way to seal records made against the emulator);
- else a key derived from the shop's API secret (the environment, or the credentials file).

Where the key is at hand (sync, push, restore, and any command run with credentials), a record
counts only when its seal checks out; a seal made with another key (before the API key was
rotated) counts only while no record sealed with ours is in its history, the rule for records
older than seals. A command run without any secret cannot check seals and trusts them as written;
it writes nothing to the shop.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import credentials

SEAL_TRAILER = "Ecomgit-Seal"
ENV = "ECOMGIT_SEAL_KEY"
_CONTEXT = b"ecomgit record seal v1"


@dataclass(frozen=True)
class SealKey:
    secret: bytes = field(repr=False)

    @property
    def id(self) -> str:
        """A short public name for the key: which key sealed a record, without revealing it."""
        return hmac.new(self.secret, b"key id", hashlib.sha256).hexdigest()[:16]

    def sign(self, claim: str) -> str:
        return hmac.new(self.secret, claim.encode(), hashlib.sha256).hexdigest()

    def verifies(self, claim: str, mac: str) -> bool:
        return hmac.compare_digest(self.sign(claim), mac.lower())


def current(root: Path | None = None) -> SealKey | None:
    """The key this machine seals and checks records with, or None when it holds no secret."""
    explicit = os.environ.get(ENV, "")
    if explicit:
        return SealKey(hmac.new(_CONTEXT, explicit.encode(), hashlib.sha256).digest())
    creds = credentials.available(root)
    return None if creds is None else from_credentials(creds)


def from_credentials(creds: credentials.Credentials) -> SealKey:
    """The key derived from the shop's API key and secret (one-way: a seal reveals neither)."""
    return SealKey(hmac.new(creds.secret.encode(), _CONTEXT + b"\0" + creds.key.encode(), hashlib.sha256).digest())


def claim(kind: str, tree: str, at: int, recorded: Iterable[int] | None, held: Iterable[int]) -> str:
    """The text a seal signs: everything a record says that decides what is pending."""
    read = "*" if recorded is None else ",".join(map(str, sorted(set(recorded))))
    return f"{kind}\n{tree}\n{at}\n{read}\n{','.join(map(str, sorted(set(held))))}"


def trailer(key: SealKey, text: str) -> str:
    return f"{SEAL_TRAILER}: {key.id} {key.sign(text)}"


def parse(values: list[str]) -> tuple[str, str] | None:
    """(key id, mac) from an ``Ecomgit-Seal`` trailer's value, or None."""
    for value in values:
        parts = value.split()
        if len(parts) == 2 and len(parts[1]) == 64:
            return parts[0], parts[1]
    return None
