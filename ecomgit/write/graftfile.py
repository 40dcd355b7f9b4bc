"""A graft done in the mirror: the successor's product file with the lost products' content added,
the way ``restore --onto`` writes it to the shop (for ``restore --onto --propose``).

The same decisions as the direct graft (:func:`ecomgit.write.fields.overwrite` under a
:class:`~ecomgit.write.fields.Policy` that keeps the successor's variants, only adds unless
``exact``, leaves Retail's fields to Retail, and takes product-level content from the first lost
product only), made against the successor as the mirror holds it, and then applied to its file
instead of sent: push later sends the difference with its three-way check and field ownership.
What a file cannot say is named in :attr:`Graft.left` (images the revision never fetched, a
variant's image that is not among the successor's).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from ecomgit.errors import EcomgitError
from ecomgit.mirror import markers
from ecomgit.revisions import Version
from ecomgit.write.fields import (
    MISSING,
    PRODUCT_SCALARS,
    REFS,
    Decision,
    Path,
    Policy,
    discount_path,
    flatten,
    overwrite,
)
from ecomgit.write.restore import _one_primary, _vid, match_variants
from ecomgit.write.sides import by_id, version_side, writable


@dataclass
class Graft:
    """The successor's file as it grows, one lost product at a time."""

    product: dict[str, Any]  # the successor's product file
    idents: dict[str, str]  # its image file name → identity (git blob id, or a not-fetched marker's)
    added: dict[str, str] = field(default_factory=dict)  # image file name added → git blob id
    left: list[str] = field(default_factory=list)  # what the proposal cannot carry, in words
    skipped: list[str] = field(default_factory=list)  # what the graft leaves as the successor has it

    @classmethod
    def of(cls, successor: Version) -> Graft:
        product = copy.deepcopy(successor.product)
        names = [markers.name(image) for image in product.get("images") or []]
        idents = {name: ident for name in names if name and (ident := successor.image_ident(name)) is not None}
        return cls(product, idents)

    def add(
        self,
        root: FsPath,
        lost: Version,
        target: int,
        languages: Sequence[str],
        policy: Policy,
        primary: int | None,
        replace: bool,
    ) -> Decision:
        """Graft ``lost`` onto the file; the decision made (what changes, what is left and why)."""
        matches = match_variants(lost.product, self.product)
        ours = version_side(lost, languages, lambda v: matches.get(_vid(v), ("new", _vid(v))))
        theirs = writable(flatten(self.product, languages, self.idents.get, by_id))
        decision = policy.apply(overwrite(ours.flat, theirs), theirs)
        _one_primary(root, decision, theirs, lost.pid, target, primary, replace)
        self._apply(decision.changes, lost)
        self.skipped += [f"{_label(path)}: {why}" for path, why in decision.skipped]
        return decision

    # -- the decision, written into the file ----------------------------------------------------
    def _apply(self, changes: Mapping[Path, Any], lost: Version) -> None:
        product = self.product
        titles: dict[Any, Any] = {}
        for path, value in changes.items():
            head = path[0]
            if head in PRODUCT_SCALARS and len(path) == 1:
                product[head] = value
            elif head in REFS:
                ref = lost.product.get(head)
                product[head] = copy.deepcopy(ref) if isinstance(ref, Mapping) and ref.get("id") == value else None
            elif head == "categories" and len(path) == 3:  # the product's position in the category
                self._link(head, path[1], True, lost)
                entry = next(c for c in product["categories"] if isinstance(c, dict) and c.get("id") == path[1])
                entry[path[2]] = value
            elif head in ("categories", "tags"):
                self._link(head, path[1], value, lost)
            elif head == "filters" and len(path) == 3:
                self._filter(path[1], path[2], value, lost)
            elif head in ("type", "set"):
                kind = lost.product.get(head)
                same = isinstance(kind, Mapping) and kind.get("id") == value
                product[head] = copy.deepcopy(kind) if same else (None if value in (None, MISSING) else {"id": value})
            elif head == "attributes" and len(path) == 2:
                self._attribute(path[1], value, lost)
            elif head == "quantityDiscounts" and len(path) == 5:
                self._discount(path, value)
            elif head == "images" and len(path) == 3:  # an image's title: set once the images are in place
                titles[path[1]] = value
            elif head == "images":
                self._images(tuple(value), lost)
            elif head == "metafields":
                _set_meta(product.setdefault("metafields", []), path[1], value)
            elif head == "relations":
                self._relations(tuple(value), lost)
            elif head == "variants":
                self._variant(path, value)
            elif len(path) == 2:  # a text in one language
                texts = product.get(head)
                if not isinstance(texts, dict):
                    texts = product[head] = {}
                texts[path[1]] = value
            else:
                raise EcomgitError(f"a graft cannot write {_label(path)} into a file (a bug in ecomgit)")
        for image in product.get("images") or []:
            title = titles.get(self.idents.get(str(markers.name(image))), MISSING)
            if isinstance(image, dict) and isinstance(title, str):
                image["title"] = title

    def _link(self, kind: str, rid: Any, value: Any, lost: Version) -> None:
        links = self.product.setdefault(kind, [])
        if value is MISSING:
            links[:] = [item for item in links if not (isinstance(item, Mapping) and item.get("id") == rid)]
            return
        if any(isinstance(item, dict) and item.get("id") == rid for item in links):
            return  # linked already (its position, say, was written first)
        theirs = next((item for item in lost.product.get(kind) or [] if item.get("id") == rid), {"id": rid})
        links.append(copy.deepcopy(theirs))

    def _discount(self, path: Path, value: Any) -> None:
        _, variant, group, quantity, start = path
        tiers = self.product.setdefault("quantityDiscounts", [])
        mine = {v.get("id") for v in self.product.get("variants") or [] if isinstance(v, Mapping)}
        if variant is not None and variant not in mine:
            self.left.append(f"{_label(path)}: its variant is not one of the successor's")
            return
        keys = {vid: vid for vid in mine}
        tiers[:] = [tier for tier in tiers if discount_path(tier, keys) != path]
        if value is MISSING:
            return
        price, percentage, is_percentage, end = value
        tiers.append(
            {"id": None, "variant": variant, "quantity": quantity, "price": price, "percentage": percentage,
             "isPercentage": is_percentage, "customerGroup": group, "startDate": start, "endDate": end}
        )  # fmt: skip

    def _attribute(self, aid: Any, value: Any, lost: Version) -> None:
        entries = self.product.setdefault("attributes", [])
        if value is MISSING:
            entries[:] = [entry for entry in entries if entry.get("id") != aid]
            return
        mine = next((entry for entry in entries if entry.get("id") == aid), None)
        if mine is None:
            theirs = next((e for e in lost.product.get("attributes") or [] if e.get("id") == aid), {"id": aid})
            mine = copy.deepcopy(dict(theirs))
            entries.append(mine)
        mine["value"] = value

    def _filter(self, fid: Any, vid: Any, value: Any, lost: Version) -> None:
        entries = self.product.setdefault("filters", [])

        def ids(entry: Any) -> tuple[Any, Any]:
            head, val = entry.get("filter") or {}, entry.get("value") or {}
            return head.get("id"), val.get("id")

        if value is MISSING:
            entries[:] = [entry for entry in entries if ids(entry) != (fid, vid)]
            return
        theirs = next((entry for entry in lost.product.get("filters") or [] if ids(entry) == (fid, vid)), None)
        entries.append(copy.deepcopy(theirs) if theirs is not None else {"filter": {"id": fid}, "value": {"id": vid}})

    def _images(self, wanted: tuple[Any, ...], lost: Version) -> None:
        mine = {ident: name for name, ident in self.idents.items()}
        entries = {markers.name(image): image for image in self.product.get("images") or []}
        theirs = {lost.image_ident(str(n)): str(n) for n in (markers.name(i) for i in lost.product.get("images") or [])}
        out = []
        for ident in wanted:
            if ident in mine:
                out.append(entries[mine[ident]])
            elif markers.is_ident(ident) or ident not in theirs:
                name = theirs.get(ident, ident)
                self.left.append(f"image {name} of product {lost.pid}: that revision never fetched it")
            else:
                name = self._new_name(theirs[ident])
                self.idents[name] = ident
                self.added[name] = ident
                out.append({"file": name, "id": None, "fileId": None})
        self.product["images"] = out

    def _new_name(self, name: str) -> str:
        stem = re.sub(r"^\d+-", "", name, flags=re.ASCII) or name
        numbers = [int(m.group(1)) for n in self.idents if (m := re.match(r"(\d+)-", n, flags=re.ASCII))]
        number = max(numbers, default=0) + 1
        while f"{number:02d}-{stem}" in self.idents:
            number += 1
        return f"{number:02d}-{stem}"

    def _relations(self, wanted: tuple[Any, ...], lost: Version) -> None:
        mine = {r.get("product"): r for r in self.product.get("relations") or [] if isinstance(r, Mapping)}
        self.product["relations"] = [
            mine.get(pid, {"id": None, "product": pid, "sortOrder": order}) for order, pid in enumerate(wanted)
        ]

    def _variant(self, path: Path, value: Any) -> None:
        variant = next(
            (v for v in self.product.get("variants") or [] if isinstance(v, dict) and v.get("id") == path[1]), None
        )
        if variant is None or len(path) < 3:  # a graft creates and deletes no variant (Policy.keep_variants)
            return
        name = path[2]
        if name == "title" and len(path) == 4:
            titles = variant.get("title")
            if not isinstance(titles, dict):
                titles = variant["title"] = {}
            titles[path[3]] = value
        elif name == "metafields" and len(path) == 4:
            _set_meta(variant.setdefault("metafields", []), path[3], value)
        elif name == "image":
            mine = {ident: n for n, ident in self.idents.items()}
            if value is None:
                variant["image"] = None
            elif value in mine:
                variant["image"] = mine[value]
            else:
                self.left.append(f"the image of variant {path[1]}: it is not among the successor's images")
        elif len(path) == 3:
            variant[name] = value


def _set_meta(metas: list[Any], key: Any, value: Any) -> None:
    found = next((m for m in metas if isinstance(m, dict) and m.get("key") == key), None)
    if value is MISSING:
        if found is not None:
            metas.remove(found)
    elif found is not None:
        found["value"] = value
    else:
        metas.append({"key": key, "id": None, "value": value})


def _label(path: Path) -> str:
    return ".".join(str(part) for part in path)
