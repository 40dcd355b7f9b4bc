"""Send a decided set of field changes to one live product, with the fewest requests.

Order matters and is fixed: product fields (one PUT per language that changed), new variants,
image uploads, variant updates (a variant image is uploaded through its variant, which also
makes it a product image, so such a file is not uploaded twice), image moves finished (the one
unused product image that held a variant's bytes deleted once the variant's copy arrived, its place
and title given to the copy), image removals, image order,
surplus variants, then category and tag links, metafields and relations. A product never
passes through a state with no variant, and nothing is written that did not differ.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, file_id_from_src, link_id, objects
from ecomgit.mirror import markers, schema
from ecomgit.sync import assemble
from ecomgit.write.fields import (
    MISSING,
    PRODUCT_SCALARS,
    REFS,
    VARIANT_FIELDS,
    Decision,
    Path,
    discount_path,
    label,
)
from ecomgit.write.journal import IMAGES, VARIANT, image_rows, variant_identities
from ecomgit.write.live import Live

Note = Callable[[str, dict[str, Any]], None]  # journal one write the shop performed: kind, what


@dataclass
class Upload:
    """Image bytes to send: their identity, a file name and a way to read them."""

    ident: str
    name: str
    read: Callable[[], bytes]

    def body(self) -> dict[str, Any]:
        return {"attachment": base64.b64encode(self.read()).decode("ascii"), "filename": self.name}


@dataclass
class Outcome:
    parts: set[str] = field(default_factory=set)  # live parts to read again to verify
    new_variants: dict[Hashable, int] = field(default_factory=dict)  # variant key → new variant id
    file_idents: dict[int, str] = field(default_factory=dict)  # file id of an uploaded image → identity
    notes: list[str] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # language → the shop's answer to its product PUT
    # (variant id, language) → the shop's answer to that variant's PUT
    variant_answers: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)


class Applier:
    def __init__(
        self,
        client: ShopClient,
        languages: Sequence[str],
        live: Live,
        changes: Mapping[Path, Any],
        *,
        ours_variants: Mapping[Hashable, Mapping[str, Any]],
        uploads: Mapping[str, Upload],
        live_idents: Sequence[str | None],
        note: Note | None = None,
        before: Callable[[str], None] | None = None,
        moves: Collection[str] = (),
        finish: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.client = client
        self.languages = list(languages)
        self.default = self.languages[0]
        self.live = live
        self.pid = live.pid
        self.changes = changes
        self.ours_variants = ours_variants
        self.uploads = uploads
        self.live_idents = list(live_idents)  # identities of live.images(), in that order
        self.outcome = Outcome()
        self.vids: dict[Hashable, int] = {vid: vid for vid in live.variant_ids}
        self._uploaded: list[tuple[str | None, dict[str, Any]]] = []
        self._note: Note = note or (lambda kind, body: None)
        self._before: Callable[[str], None] = before or (lambda group: None)  # re-read a group before its write
        self._images_noted = False
        self._rows: list[tuple[str, dict[str, Any]]] | None = None  # the images as arranged: identity, row
        self.moves = set(moves)  # variant images moved from the one unused product image holding them
        self.finish = dict(finish or {})  # identity → the move note of an interrupted move to finish
        self._listing: list[tuple[str | None, dict[str, Any]]] | None = None  # the images as the moves left them

    def run(self) -> Outcome:
        self._product()
        self._attributes()
        self._create_variants()
        routed = self._variant_routed()
        self._upload_images(routed)
        self._update_variants(routed)
        self._move_images(routed)
        self._arrange_images(routed)
        self._image_titles(routed)
        self._delete_variants()
        self._discounts()
        self._categories()
        self._tags()
        self._filters()
        self._metafields()
        self._relations()
        self._variant_metafields()
        return self.outcome

    # -- the product ----------------------------------------------------------------------------
    def _product(self) -> None:
        bodies: dict[str, dict[str, Any]] = {}
        for path, value in self.changes.items():
            head = path[0]
            if head in schema.PRODUCT_TEXTS and len(path) == 2:
                bodies.setdefault(path[1], {})[head] = "" if value is MISSING else value
            elif head in PRODUCT_SCALARS and value is not MISSING:
                bodies.setdefault(self.default, {})[head] = value
            elif head in REFS or head in ("type", "set"):  # the type first: the attribute values follow from it
                bodies.setdefault(self.default, {})[head] = None if value in (MISSING, None) else value
                if head in ("type", "set"):
                    self.outcome.parts.update({"type", "catalog"})
        for lang in self.languages:
            if lang in bodies:
                self._before(f"product:{lang}")
                answer = self.client.put(f"products/{self.pid}", "product", bodies[lang], lang=lang)
                self.outcome.answers[lang] = answer
                self.outcome.parts.add(f"texts:{lang}")

    # -- variants -------------------------------------------------------------------------------
    def _variant_paths(self) -> dict[Hashable, dict[tuple[Any, ...], Any]]:
        out: dict[Hashable, dict[tuple[Any, ...], Any]] = {}
        for path, value in self.changes.items():
            if path[0] == "variants" and len(path) > 2:
                out.setdefault(path[1], {})[path[2:]] = value
        return out

    def _create_variants(self) -> None:
        for path, value in self.changes.items():
            if path[0] != "variants" or len(path) != 2 or value is MISSING or path[1] in self.vids:
                continue
            variant = self.ours_variants[path[1]]
            body: dict[str, Any] = {"product": self.pid}
            body.update({name: api_value(name, variant[name]) for name in VARIANT_FIELDS if name in variant})
            if not body.get("isDefault"):
                body.pop("isDefault", None)
            body["title"] = _title(variant, self.default)
            self._before("variants")
            self._note(VARIANT, {"ours": self._identity(path[1]), "id": None})  # sent: the answer may be lost
            created = self.client.post("variants", "variant", body)
            vid = as_int(created.get("id"), 0)
            self._note(VARIANT, {"ours": self._identity(path[1]), "id": vid})
            self.vids[path[1]] = vid
            self.outcome.new_variants[path[1]] = vid
            self.outcome.parts.add("variants")

    def _identity(self, key: Hashable) -> str:
        """How the journal knows the variant of ours a create was for (a restore's carry their old id)."""
        variant = self.ours_variants[key]
        return variant_identities(self.ours_variants.values()).get(id(variant), f"was {variant.get('id')}")

    def _note_image(self, op: str, **body: Any) -> None:
        """Journal an image write; the first one of the product after the rows it started from."""
        if not self._images_noted:
            self._images_noted = True
            self._note(IMAGES, {"op": "rows", "rows": image_rows(self.live.images())})
        self._note(IMAGES, {"op": op, **body})

    def _variant_routed(self) -> dict[Hashable, Upload]:
        """Variant images to upload through their variant: new bytes the product does not have yet."""
        live = set(self.live_idents)
        routed: dict[Hashable, Upload] = {}
        claimed: set[str] = set()
        for key, paths in self._variant_paths().items():
            ident = paths.get(("image",), MISSING)
            if not isinstance(ident, str) or ident in claimed or key not in self.vids:
                continue
            if ident in live and ident not in self.moves:
                continue
            upload = self.uploads.get(ident)
            if upload is not None:
                routed[key] = upload
                claimed.add(ident)
        return routed

    def _update_variants(self, routed: Mapping[Hashable, Upload]) -> None:
        for key, paths in self._variant_paths().items():
            vid = self.vids.get(key)
            if vid is None:
                if not self._removed(key):
                    self.outcome.notes.append(
                        f"{self._who(key)}: not in the shop and not created; its fields were left"
                    )
                continue
            if self._removed(key):
                continue
            created = key in self.outcome.new_variants
            bodies: dict[str, dict[str, Any]] = {}
            for sub, value in paths.items():
                name = sub[0]
                if name == "title":
                    if not (created and sub[1] == self.default):
                        bodies.setdefault(sub[1], {})["title"] = value
                elif name in VARIANT_FIELDS and not created:
                    if name == "isDefault" and value is not True:
                        continue  # a default is cleared by making another variant the default
                    bodies.setdefault(self.default, {})[name] = api_value(name, value)
                elif name == "image" and not (created and value in (None, MISSING)):
                    image = self._variant_image(key, value, routed)
                    if image is not _SKIP:
                        bodies.setdefault(self.default, {})["image"] = image
            for lang in self.languages:
                if lang in bodies:
                    uploads = isinstance(bodies[lang].get("image"), dict)
                    self._before("variants")
                    if uploads:
                        self._note_move(paths[("image",)])
                        self._note_image("sent", ident=paths[("image",)])
                    answer = self.client.put(f"variants/{vid}", "variant", bodies[lang], lang=lang)
                    self.outcome.variant_answers[(vid, lang)] = answer
                    if uploads:
                        self._learn_variant_image(answer, paths[("image",)])
                    self.outcome.parts.update({"variants", f"vtitles:{lang}"})

    def _note_move(self, ident: str) -> None:
        """Journal a move before its upload: the image it moves from, its place and title (to finish it)."""
        if ident not in self.moves or ident not in self.live_idents:
            return
        row = self.live.images()[self.live_idents.index(ident)]
        old = as_int(row.get("id"), 0)
        title = (self.live.image_titles or {}).get(old, row.get("title"))
        self._note_image("move", ident=ident, id=old, sortOrder=as_int(row.get("sortOrder"), 0), title=title)
        self.finish[ident] = {"id": old, "sortOrder": as_int(row.get("sortOrder"), 0), "title": title}

    def _variant_image(self, key: Hashable, ident: Any, routed: Mapping[Hashable, Upload]) -> Any:
        if ident is None or ident is MISSING:
            return None
        if key in routed:
            return routed[key].body()
        self.outcome.notes.append(f"{self._who(key)}: its image is not in the product folder; left as it is")
        return _SKIP

    def _who(self, key: Hashable) -> str:
        variant = self.ours_variants.get(key) or {}
        code = as_str(variant.get("sku")) or as_str(variant.get("articleCode"))
        return f"variant {code or key}"

    def _learn_variant_image(self, answer: Mapping[str, Any], ident: str) -> None:
        image = answer.get("image")
        file_id = file_id_from_src(image.get("src")) if isinstance(image, Mapping) else None
        if file_id is not None:
            self.outcome.file_idents[file_id] = ident
            self._note_image("add", id=None, fileId=file_id, ident=ident)

    def variant_idents(self) -> set[str]:
        """Images variants are given: product images uploaded through a variant are kept."""
        return {
            value
            for path, value in self.changes.items()
            if path[0] == "variants" and len(path) == 3 and path[2] == "image" and isinstance(value, str)
        }

    def _removed(self, key: Hashable) -> bool:
        return self.changes.get(("variants", key), None) is MISSING

    def _delete_variants(self) -> None:
        for path, value in self.changes.items():
            if path[0] == "variants" and len(path) == 2 and value is MISSING and path[1] in self.vids:
                self._before("variants")
                self.client.delete(f"variants/{self.vids[path[1]]}")
                self.outcome.parts.update({"variants", "catalog"})  # the catalog record lists the variants too

    # -- images ---------------------------------------------------------------------------------
    def _target_images(self) -> tuple[str, ...] | None:
        value = self.changes.get(("images",), MISSING)
        return None if value is MISSING else tuple(i for i in value if i is not None)

    def _upload_images(self, routed: Mapping[Hashable, Upload]) -> None:
        target = self._target_images()
        if target is None:
            return
        through_variants = {upload.ident for upload in routed.values()}
        remaining = list(self.live_idents)
        for ident in target:
            if ident in remaining:
                remaining.remove(ident)
                continue
            if ident in through_variants:
                through_variants.discard(ident)
                continue
            upload = self.uploads.get(ident)
            if upload is None:
                self.outcome.notes.append(f"image {ident[:10]}: its file is not in the product folder; not uploaded")
                continue
            self._before("images")
            self._note_image("sent", ident=ident)
            created = self.client.post(f"products/{self.pid}/images", "productImage", upload.body())
            self._uploaded.append((ident, created))
            file_id = file_id_from_src(created.get("src"))
            self._note_image(
                "add",
                id=as_int(created.get("id"), 0),
                sortOrder=as_int(created.get("sortOrder"), 0),
                fileId=file_id,
                ident=ident,
            )
            if file_id is not None:
                self.outcome.file_idents[file_id] = ident
            self.outcome.parts.add("imagetitles")  # an upload is titled by its file name: the record says so
        self.outcome.parts.add("catalog")

    def _arrange_images(self, routed: Mapping[Hashable, Upload]) -> None:
        """Remove images the target does not hold, then put the rest in the target's order."""
        target = self._target_images()
        if target is None:
            return
        rows = self._current_images(bool(routed))
        wanted_by_variants = self.variant_idents()
        pool = list(target)
        kept: list[tuple[str, dict[str, Any]]] = []
        for ident, row in rows:
            if ident is not None and ident in pool:
                pool.remove(ident)
                kept.append((ident, row))
            elif ident is not None and ident in wanted_by_variants:
                kept.append((ident, row))
            else:
                self._before("images")
                self._note_image("deleting", id=as_int(row.get("id"), 0))
                self.client.delete(f"products/{self.pid}/images/{as_int(row.get('id'), 0)}")
                self._note_image("delete", id=as_int(row.get("id"), 0))
        self._rows = kept
        order = _positions(target, kept)
        current = [as_int(row.get("sortOrder"), 0) for _, row in kept]
        if _sorted(current, order):
            return
        for position, (_, row) in zip(order, kept, strict=True):
            if as_int(row.get("sortOrder"), 0) != position:
                self._before("images")
                self._note_image("moving", id=as_int(row.get("id"), 0))
                self.client.put(
                    f"products/{self.pid}/images/{as_int(row.get('id'), 0)}", "productImage", {"sortOrder": position}
                )
                self._note_image("order", id=as_int(row.get("id"), 0), sortOrder=position)

    def _image_titles(self, routed: Mapping[Hashable, Upload]) -> None:
        """Give each image its title: an upload's title is its file name, the shop's own keep theirs."""
        wanted = {p[1]: v for p, v in self.changes.items() if p[0] == "images" and len(p) == 3 and isinstance(v, str)}
        if not wanted:
            return
        rows = self._rows if self._rows is not None else self._current_images(bool(routed))
        for ident, row in rows:
            title = wanted.pop(ident, None) if ident is not None else None
            if title is None or ("title" in row and as_str(row.get("title")) == title):
                continue
            self._before("images")
            image = as_int(row.get("id"), 0)
            self.client.put(f"products/{self.pid}/images/{image}", "productImage", {"title": title})
        self.outcome.parts.add("imagetitles")

    def _move_images(self, routed: Mapping[Hashable, Upload]) -> None:
        """Finish each move of an image onto its variant (the variant's copy has arrived): delete
        the old copy, only that image and only if still no variant uses it (read again), then give
        the variant's copy the old one's place and title. Stopped after the upload, the product
        holds the bytes twice (never none); the next write finishes it from the journal."""
        if not self.finish:
            return
        rows = self._current_images(True)
        self._before("images")
        used = self._used_files()
        for ident, move in self.finish.items():
            rows = self._move_one(rows, ident, move, used)
        self._listing = rows
        self.outcome.parts.update({"imagetitles", "catalog", "variants"})

    def _move_one(
        self, rows: list[tuple[str | None, dict[str, Any]]], ident: str, move: Mapping[str, Any], used: set[int]
    ) -> list[tuple[str | None, dict[str, Any]]]:
        old = as_int(move.get("id"), 0)
        old_row = next((row for _, row in rows if as_int(row.get("id"), 0) == old), None)
        copies = [row for i, row in rows if i == ident and row is not old_row]
        new_row = next((row for row in copies if file_id_from_src(row.get("src")) in used), None)
        if new_row is None:
            self.outcome.notes.append(f"image {ident[:10]}: no variant holds its new copy; not moved")
            return rows
        title = move.get("title")
        if old_row is not None:
            title = old_row.get("title", title)  # the listing's: its title right before it goes
            if file_id_from_src(old_row.get("src")) in used:
                self.outcome.notes.append(f"image {ident[:10]}: a variant uses it now; left where it is (twice)")
                return rows
            self._note_image("deleting", id=old)
            self.client.delete(f"products/{self.pid}/images/{old}")
            self._note_image("delete", id=old)
            rows = [(i, row) for i, row in rows if row is not old_row]
        body: dict[str, Any] = {"sortOrder": as_int(move.get("sortOrder"), 0)}
        if isinstance(title, str) and title:
            body["title"] = title
        new = as_int(new_row.get("id"), 0)
        if any(new_row.get(name) != value for name, value in body.items()):
            self._note_image("moving", id=new)
            self.client.put(f"products/{self.pid}/images/{new}", "productImage", body)
            self._note_image("order", id=new, sortOrder=body["sortOrder"])
            new_row.update(body)
        self._note_image("moved", ident=ident, id=new)
        return sorted(rows, key=lambda pair: (as_int(pair[1].get("sortOrder"), 0), as_int(pair[1].get("id"), 0)))

    def _used_files(self) -> set[int]:
        """The file ids of the images the product's variants use now (read again)."""
        rows = self.client.iter_list("variants", "variants", {"product": self.pid}, lang=self.default)
        images = (row.get("image") for row in rows)
        return {f for image in images if isinstance(image, Mapping) and (f := file_id_from_src(image.get("src")))}

    def _current_images(self, listed: bool) -> list[tuple[str | None, dict[str, Any]]]:
        """The product's images now: known from the live read and the upload answers, unless an
        upload through a variant made one whose id only a fresh listing tells."""
        if self._listing is not None:
            return self._listing
        if not listed:
            return [*zip(self.live_idents, self.live.images(), strict=True), *self._uploaded]
        rows = sorted(
            self.client.iter_list(f"products/{self.pid}/images", "productImages"),
            key=lambda r: (as_int(r.get("sortOrder"), 0), as_int(r.get("id"), 0)),
        )
        known = {
            file_id: ident
            for ident, row in zip(self.live_idents, self.live.images(), strict=True)
            if ident is not None and (file_id := file_id_from_src(row.get("src"))) is not None
        }
        known.update(self.outcome.file_idents)
        self._images_noted = True  # the listing is where the journal continues from
        self._note(IMAGES, {"op": "rows", "rows": image_rows(rows)})
        return [(known.get(file_id_from_src(row.get("src")) or 0), row) for row in rows]

    # -- links, metafields, relations -----------------------------------------------------------
    def _categories(self) -> None:
        """Link (one bulk request), unlink, and set the product's position in a category (the
        link's ``sortOrder``: the bulk link makes it 0, so a position is set after)."""
        links = [(p, v) for p, v in self.changes.items() if p[0] == "categories" and len(p) == 2]
        add = [p[1] for p, v in links if v is not MISSING]
        remove = {p[1] for p, v in links if v is MISSING}
        positions = {p[1]: v for p, v in self.changes.items() if p[0] == "categories" and len(p) == 3}
        if not (add or remove or positions):
            return
        self._before("categories")
        ids: dict[int | None, int] = {}
        if add:
            self.client.post(
                "categories/products/bulk", "categoriesProduct", {"product": self.pid, "categories": sorted(add)}
            )
        if remove or positions:  # the link ids, read once
            for link in self.client.iter_list("categories/products", "categoriesProducts", {"product": self.pid}):
                cid, lid = link_id(link.get("category")), as_int(link.get("id"), 0)
                if cid in remove:
                    self.client.delete(f"categories/products/{lid}")
                else:
                    ids.setdefault(cid, lid)
        for cid, order in sorted(positions.items(), key=lambda item: str(item[0])):
            if cid in ids and cid not in remove:
                self.client.put(f"categories/products/{ids[cid]}", "categoriesProduct", {"sortOrder": order})
        self.outcome.parts.add("catalog")
        if positions:
            self.outcome.parts.add("categorylinks")

    def _tags(self) -> None:
        links = {link_id(row.get("tag")): as_int(row.get("id"), 0) for row in self.live.tag_links or []}
        for path, value in self.changes.items():
            if path[0] != "tags":
                continue
            self._before("tags")
            if value is MISSING:
                if path[1] in links:
                    self.client.delete(f"tags/products/{links[path[1]]}")
            elif path[1] not in links:
                self.client.post("tags/products", "tagsProduct", {"tag": path[1], "product": self.pid})
            self.outcome.parts.add("tags")

    def _discounts(self) -> None:
        """Quantity discounts: a tier changed is updated, a new one posted, one removed deleted
        (``/quantity_discounts``; a tier is known by its variant, customer group, quantity, start)."""
        changes = {p: v for p, v in self.changes.items() if p[0] == "quantityDiscounts" and len(p) == 5}
        if not changes:
            return
        self._before("quantityDiscounts")
        if self.live.discounts is None:  # a product this write made has none
            self.live.discounts = []
        by_vid = {vid: key for key, vid in self.vids.items()}
        live = {discount_path(tier, by_vid): tier["id"] for tier in assemble.quantity_discounts(self.live.discounts)}
        for path, value in changes.items():
            _, variant, group, quantity, start = path
            if value is MISSING:
                if path in live:
                    self.client.delete(f"quantity_discounts/{live[path]}")
                continue
            price, percentage, is_percentage, end = value
            body: dict[str, Any] = {"price": price, "percentage": percentage, "isPercentage": is_percentage}
            body["endDate"] = end
            if path in live:
                self.client.put(f"quantity_discounts/{live[path]}", "quantityDiscount", body)
                continue
            if variant is not None and variant not in self.vids:
                self.outcome.notes.append(f"{label(path)}: its variant is not in the shop; not written")
                continue
            body.update(product=self.pid, quantity=quantity, customerGroup=group, startDate=start)
            body["variant"] = self.vids[variant] if variant is not None else None
            self.client.post("quantity_discounts", "quantityDiscount", body)
        self.outcome.parts.add("discounts")

    def _attributes(self) -> None:
        """The values of the type's attributes, one by one (``PUT /products/{id}/attributes/{attributeId}``:
        a product has the attributes its type gives it; there is no create). A value the type does
        not ask for is left out with a note."""
        wanted = {p[1]: v for p, v in self.changes.items() if p[0] == "attributes" and len(p) == 2 and v is not MISSING}
        if not wanted:
            return
        if ("type",) in self.changes:  # the type this write just set gave the attributes: read them now
            rows = list(self.client.iter_list(f"products/{self.pid}/attributes", "productAttributes"))
        else:  # the catalog record read before the write has them
            self._before("attributes")
            rows = [
                {"id": s.get("id"), "value": s.get("value")} for s in objects(self.live.record.get("specifications"))
            ]
        present = {as_int(row.get("id"), 0): as_str(row.get("value")) for row in rows}
        for aid, value in wanted.items():
            if aid not in present:
                self.outcome.notes.append(f"attribute {aid}: the product's type has no such attribute; not written")
            elif present[aid] != value:
                body = {"value": value}
                self.client.put(f"products/{self.pid}/attributes/{aid}", "productAttribute", body)
        self.outcome.parts.add("catalog")

    def _filters(self) -> None:
        """Link and unlink filter values (``/products/{id}/filtervalues``: no update; a link to
        remove is found by reading the product's links)."""
        changes = [(path, value) for path, value in self.changes.items() if path[0] == "filters"]
        if not changes:
            return
        self._before("filters")
        links: dict[tuple[int | None, int | None], int] | None = None
        for path, value in changes:
            if value is MISSING:
                if links is None:
                    rows = self.client.iter_list(f"products/{self.pid}/filtervalues", "productFiltervalue")
                    links = {
                        (link_id(row.get("filter")), link_id(row.get("filtervalue"))): as_int(row.get("id"), 0)
                        for row in rows
                    }
                if (path[1], path[2]) in links:
                    self.client.delete(f"products/{self.pid}/filtervalues/{links[(path[1], path[2])]}")
            else:
                body = {"filter": path[1], "filtervalue": path[2]}
                self.client.post(f"products/{self.pid}/filtervalues", "productFiltervalue", body)
        self.outcome.parts.add("catalog")

    def _metafields(self) -> None:
        paths = {p[1]: v for p, v in self.changes.items() if p[0] == "metafields"}
        if paths:
            self._before("metafields")
            self._sync_metafields(f"products/{self.pid}/metafields", "productMetafield", self.live.metafields, paths)
            self.outcome.parts.add("metafields")

    def _variant_metafields(self) -> None:
        for key, paths in self._variant_paths().items():
            wanted = {sub[1]: v for sub, v in paths.items() if sub[0] == "metafields"}
            vid = self.vids.get(key)
            if not wanted or vid is None or self._removed(key):
                continue
            current = (self.live.vmetafields or {}).get(vid, [])
            self._before("vmetafields")
            self._sync_metafields(f"variants/{vid}/metafields", "variantMetafield", current, wanted)
            self.outcome.parts.add("vmetafields")

    def _sync_metafields(
        self, path: str, key: str, current: Sequence[Mapping[str, Any]] | None, wanted: Mapping[Any, Any]
    ) -> None:
        ids = {as_str(m.get("key")): as_int(m.get("id"), 0) for m in current or []}
        for name, value in wanted.items():
            if value is MISSING:
                if name in ids:
                    self.client.delete(f"{path}/{ids[name]}")
            elif name in ids:
                self.client.put(f"{path}/{ids[name]}", key, {"key": name, "value": value})
            else:
                self.client.post(path, key, {"key": name, "value": value})

    def _relations(self) -> None:
        target = self.changes.get(("relations",), MISSING)
        if target is MISSING:
            return
        wanted = [pid for pid in target if isinstance(pid, int)]
        self._before("relations")
        rows = self.live.relations()
        for row in rows:
            if link_id(row.get("relatedProduct")) not in wanted:
                self.client.delete(f"products/{self.pid}/relations/{as_int(row.get('id'), 0)}")
        have = {link_id(row.get("relatedProduct")): row for row in rows}
        for position, related in enumerate(wanted):
            existing = have.get(related)
            if existing is None:
                self.client.post(
                    f"products/{self.pid}/relations",
                    "productRelation",
                    {"relatedProduct": related, "sortOrder": position},
                )
            elif as_int(existing.get("sortOrder"), 0) != position:
                self.client.put(
                    f"products/{self.pid}/relations/{as_int(existing.get('id'), 0)}",
                    "productRelation",
                    {"sortOrder": position},
                )
        self.outcome.parts.add("catalog")


_SKIP: Any = object()


SHARED_IMAGE = (
    "another variant's upload sets this image, and the API cannot point a variant at an image the product has"
)
HELD_IMAGE = (
    "the product already has this image more than once or a variant uses it (on a Retail-linked shop: Retail "
    "uploaded it when it published the item), and the API cannot point a variant at an image the product has"
)
MOVED_IMAGE = (
    "the product image holding these bytes (on a Retail-linked shop: the one Retail uploaded) is moved onto the "
    "variant: deleted after the variant's copy arrived"
)

FINISH_MOVE = (
    "an earlier write stopped after moving it onto its variant, with the product holding it twice: "
    "the old copy is deleted and the variant's gets its place and title"
)


def finish_moves(
    decision: Decision, notes: Mapping[str, Mapping[str, Any]], live: Live, idents: Sequence[str | None]
) -> None:
    """Moves an interrupted write began (the journal's ``notes``) and the shop shows half done:
    the variant's copy arrived, and the old image is still there (the bytes twice) or not placed."""
    ids = {as_int(row.get("id"), 0) for row in live.images()}
    for ident, note in notes.items():
        held = idents.count(ident)
        if (as_int(note.get("id"), 0) in ids and held >= 2) or (as_int(note.get("id"), 0) not in ids and held):
            decision.finish[ident] = dict(note)


def limit_variant_images(decision: Decision, live_idents: Sequence[str | None], theirs: Mapping[Path, Any]) -> None:
    """Keep only the variant images the API can set without leaving a product image twice.

    Uploading a variant image always adds a product image; the API documents no way to point a
    variant at an image the product already has (ecom-api.md 4.5). So a variant image is written
    when its bytes are new to the product, once per image, or when exactly one product image holds
    them and no live variant uses it: that image is then *moved* onto the variant (the variant's
    upload first, then the old copy deleted and its place and title given to the new one; see
    :class:`Applier`). The others are reported (why: another variant uses the bytes, the product has
    them twice, or another variant of ours sets them), to be chosen in the back office.
    """
    used = {v for p, v in theirs.items() if p[0] == "variants" and p[2:] == ("image",) and isinstance(v, str)}
    claimed: set[str] = set()
    for path, value in list(decision.changes.items()):
        if path[0] != "variants" or path[2:] != ("image",) or not isinstance(value, str):
            continue
        held = live_idents.count(value)
        if value in claimed or held > 1 or (held == 1 and value in used):
            del decision.changes[path]
            why = SHARED_IMAGE if value in claimed else HELD_IMAGE
            decision.skipped.append((path, f"{why}; choose it in the back office"))
            continue
        claimed.add(value)
        if held == 1:
            decision.moves.add(value)


def keep_unfetched(decision: Decision, live_idents: Sequence[str | None], product: Mapping[str, Any]) -> None:
    """Images the revision lists but never fetched (markers) are the shop's images, known by their
    file id alone: kept where the shop still has them, and, where it has not, reported as not
    brought back (no revision holds their bytes) instead of being written as "no image"."""
    live = set(live_idents)
    names = {ident: name for name, ident in markers.idents(product.get("images") or []).items()}
    images = decision.changes.get(("images",), MISSING)
    if isinstance(images, tuple):
        lost = [i for i in images if markers.is_ident(i) and i not in live]
        if lost:
            kept = tuple(i for i in images if i not in lost)
            if kept == tuple(live_idents):
                del decision.changes[("images",)]
            else:
                decision.changes[("images",)] = kept
            shown = ", ".join(names.get(str(i), str(i)) for i in lost)
            decision.skipped.append((("images",), f"not brought back: {shown} ({_NOT_FETCHED})"))
    for path, value in list(decision.changes.items()):
        if path[0] == "variants" and path[2:] == ("image",) and markers.is_ident(value) and value not in live:
            del decision.changes[path]
            decision.skipped.append((path, f"image {names.get(value, value)} not set ({_NOT_FETCHED})"))


_NOT_FETCHED = "the CDN did not give its file when this revision was synced, so no revision holds its bytes"


def api_value(name: str, value: Any) -> Any:
    """A mirror value as the API takes it (the mirror's ``null`` tax class is the API's none)."""
    if name == "tax":
        return value if isinstance(value, int) else None
    return value


def _title(variant: Mapping[str, Any], lang: str) -> str:
    titles = variant.get("title")
    return as_str(titles.get(lang)) if isinstance(titles, Mapping) else ""


def _positions(target: Sequence[str], kept: Sequence[tuple[str, Mapping[str, Any]]]) -> list[int]:
    """1-based target positions of the kept images (images not in the target go last)."""
    pool: list[str | None] = list(target)
    out = []
    extra = len(target)
    for ident, _ in kept:
        if ident in pool:
            index = pool.index(ident)
            pool[index] = None
            out.append(index + 1)
        else:
            extra += 1
            out.append(extra)
    return out


def _sorted(current: Sequence[int], order: Sequence[int]) -> bool:
    """Whether the current sort orders already put the images in the target order."""
    by_current = [o for _, o in sorted(zip(current, order, strict=True), key=lambda pair: pair[0])]
    return by_current == sorted(order) and len(set(current)) == len(current)
