"""The journal of writes the shop performed for a push or restore that has not been recorded yet.

A push can stop at any request (Ctrl-C, a kill, a lost connection). What the shop did by then is
in the shop but in no commit, so the next run's three-way plan would take it for a shop edit: a
variant it made looks like one a person added, an image it uploaded or moved like a person's
change of the images, a permanent conflict. So each such write is noted in ``.git/ecomgit/sync.db``
the moment the shop answers (before the next request), and the next run continues from it:

- ``variant``: a variant made for a variant of ours without an id, keyed by that variant's
  identity here (:func:`variant_identities`); the only way a later run matches a live variant to
  one of ours that has no id yet. A create sent whose answer never came is noted too: a new live
  variant with its codes is then the one it made. Any other live variant with the same SKU was
  made by someone else.
- ``images``: a snapshot of the product's image rows before the first image write, then every
  upload sent and answered, delete and move. A variant image moved from a product image (see
  ``ecomgit.write.apply``) is noted before its upload (``move``: the old image's id, place and
  title) and once done (``moved``): a run stopped in between left the bytes twice, and the next
  run finishes the move instead of uploading again. When replaying them on the snapshot gives exactly the
  shop's images now, the shop's images are what our writes left, not a shop edit.

A commit that records the product makes its notes obsolete: they are forgotten then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomgit.api.values import as_int, as_str
from ecomgit.sync.state import State

VARIANT = "variant"
IMAGES = "images"


def variant_identities(variants: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """``id(variant)`` → how the journal knows each variant of ours without an id: its place among
    the product's new variants and its codes (an edit of its codes between runs makes it another)."""
    out: dict[int, str] = {}
    for variant in variants:
        if not isinstance(variant.get("id"), int):
            codes = "|".join(as_str(variant.get(name)).strip() for name in ("sku", "articleCode", "ean"))
            out[id(variant)] = f"{len(out)}|{codes}"
    return out


@dataclass
class Journal:
    state: State

    def note(self, pid: int, kind: str, body: Mapping[str, Any]) -> None:
        self.state.journal(pid, kind, dict(body))

    def forget(self, pids: Iterable[int]) -> None:
        self.state.forget_journal(pids)

    # -- variants -------------------------------------------------------------------------------
    def made_variants(self, pid: int) -> dict[str, int]:
        """Identity of a variant of ours → the id of the variant the shop made for it."""
        rows = self.state.journaled(pid, VARIANT)
        return {str(row["ours"]): int(row["id"]) for row in rows if row.get("id") is not None}

    def unanswered_variants(self, pid: int) -> set[str]:
        """Identities of variants of ours whose create was sent but never answered."""
        rows = self.state.journaled(pid, VARIANT)
        return {str(r["ours"]) for r in rows if r.get("id") is None} - set(self.made_variants(pid))

    # -- images ---------------------------------------------------------------------------------
    def uploaded_idents(self, pid: int) -> dict[int, str]:
        """File id → identity of the bytes, for the images a write uploaded (no download needed)."""
        rows = self.state.journaled(pid, IMAGES)
        return {int(r["fileId"]): str(r["ident"]) for r in rows if r.get("op") == "add" and r.get("fileId")}

    def unfinished_moves(self, pid: int) -> dict[str, dict[str, Any]]:
        """Identity → the note of each move of an image onto a variant that was begun but not finished."""
        out: dict[str, dict[str, Any]] = {}
        for row in self.state.journaled(pid, IMAGES):
            if row.get("op") == "move":
                out[str(row["ident"])] = {k: row.get(k) for k in ("id", "sortOrder", "title")}
            elif row.get("op") == "moved":
                out.pop(str(row["ident"]), None)
        return out

    def images_ours(self, pid: int, rows: Sequence[Mapping[str, Any]], idents: Sequence[str | None]) -> bool:
        """Whether the product's image ``rows`` now (in position order, with their identities) are
        exactly what the journaled image writes made of the images they started from. A write sent
        whose answer never came may or may not have happened: either is ours."""
        notes = self.state.journaled(pid, IMAGES)
        if not notes:
            return False
        replay = _Replay()
        for note in notes:
            replay.apply(note)
        sent, order = list(replay.sent), []
        for row, ident in zip(rows, idents, strict=True):
            rid = as_int(row.get("id"), 0)
            if rid in replay.rows:
                order += [] if rid in replay.unsure else [rid]
            elif ident is not None and ident in sent:  # an upload whose answer never came
                sent.remove(ident)
            else:
                return False
        sure = {rid: at for rid, at in replay.rows.items() if rid not in replay.unsure}
        return order == sorted(sure, key=lambda rid: (sure[rid], rid))


@dataclass
class _Replay:
    """The image rows as the journaled writes left them: id → sortOrder; the identities of uploads
    sent but not answered; the rows whose delete or move was sent but not answered."""

    rows: dict[int, int] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    unsure: set[int] = field(default_factory=set)

    def apply(self, note: Mapping[str, Any]) -> None:
        op, rid = note.get("op"), note.get("id")
        if op == "rows":  # where the writes started from, or a listing of the product's images
            self.rows = {int(row_id): int(order) for row_id, order in note["rows"]}
            self.sent, self.unsure = [], set()
        elif op == "sent":
            self.sent.append(str(note["ident"]))
        elif op == "add" and rid is not None:  # (without: uploaded through a variant, its row unknown)
            if str(note["ident"]) in self.sent:
                self.sent.remove(str(note["ident"]))
            self.rows[int(rid)] = int(note["sortOrder"])
        elif op in ("deleting", "moving") and rid is not None:
            self.unsure.add(int(rid))
        elif op == "delete" and rid is not None:
            self.rows.pop(int(rid), None)
            self.unsure.discard(int(rid))
        elif op == "order" and rid is not None:
            self.rows[int(rid)] = int(note["sortOrder"])
            self.unsure.discard(int(rid))


def image_rows(rows: Iterable[Mapping[str, Any]]) -> list[list[int]]:
    """Image rows as the journal's snapshot holds them: [id, sortOrder]."""
    return [[as_int(r.get("id"), 0), as_int(r.get("sortOrder"), 0)] for r in rows]
