"""What one request changed in the shop, as webhook events: ``products/updated``, ``variants/deleted``, ….

The store notes every change to a product or variant (:meth:`Shop.note`); the app takes the
journal at the end of each write request or admin action and hands it to the webhooks. Changes to
one record within one request fold into one event: created-then-updated is ``created``,
updated-then-deleted is ``deleted``, created-then-deleted is nothing (no one saw it). The journal
keeps the records themselves, so a deleted product is still rendered whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecomgit.emulator.model import Product, Variant

Record = Product | Variant


@dataclass(frozen=True, slots=True)
class Change:
    group: str  # "products" or "variants"
    action: str  # "created", "updated" or "deleted"
    record: Record

    @property
    def event(self) -> str:
        return f"{self.group}/{self.action}"


class Changes:
    """The changes noted since the last :meth:`take`, one per record, in the order first noted."""

    __slots__ = ("_pending",)

    def __init__(self) -> None:
        self._pending: dict[tuple[str, int], Change] = {}

    def note(self, group: str, action: str, record: Record) -> None:
        key = (group, record.id)
        earlier = self._pending.get(key)
        if earlier is None:
            self._pending[key] = Change(group, action, record)
        elif earlier.action == "created" and action == "deleted":
            del self._pending[key]
        elif earlier.action == "updated" and action == "deleted":
            self._pending[key] = Change(group, action, record)

    def take(self) -> list[Change]:
        changes = list(self._pending.values())
        self._pending.clear()
        return changes

    def __len__(self) -> int:
        return len(self._pending)
