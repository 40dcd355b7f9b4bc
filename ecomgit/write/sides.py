"""The three sides of a write as flat field paths: a mirror version (base, ours) and the live shop.

Images are compared by the identity of their bytes (the git blob id), so an image is the same
image whatever its name, position or shop id: an unchanged image is never uploaded again, a
replaced file under the same name is, and a retried write finds the upload that already arrived.
Live images are identified through the file ids the mirror knows; only images the mirror has
never seen are downloaded from the CDN (not an API request) to be identified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_str
from ecomgit.errors import ApiError
from ecomgit.mirror import markers
from ecomgit.mirror.duplicates import same_code
from ecomgit.revisions import Version, blob_id
from ecomgit.sync.assemble import Built, ImagePlan
from ecomgit.write.apply import Upload
from ecomgit.write.fields import Path, VariantKey, flatten

_VARIANT_FILE = re.compile(r"^variant-\d+-(\d+)-", re.ASCII)


@dataclass
class Known:
    """File id → identity, learnt from mirror versions and uploads; downloads what it cannot tell."""

    client: ShopClient
    by_file_id: dict[int, str] = field(default_factory=dict)

    def learn(self, version: Version | None) -> None:
        if version is None:
            return
        for name, file_id in file_ids(version.product).items():
            ident = version.image_ident(name)
            if ident is not None:
                self.by_file_id.setdefault(file_id, ident)

    def live_ident(self, plan: ImagePlan) -> str | None:
        if plan.file_id is not None and plan.file_id in self.by_file_id:
            return self.by_file_id[plan.file_id]
        if not plan.src:
            return None
        try:
            ident = blob_id(self.client.download(plan.src))
        except ApiError:  # gone from the CDN or refused: a live image no mirror image is, so never "ours"
            return f"unfetched:{plan.file_id if plan.file_id is not None else plan.src}"
        if plan.file_id is not None:
            self.by_file_id[plan.file_id] = ident
        return ident


def file_ids(product: Mapping[str, Any]) -> dict[str, int]:
    """Image file name → CDN file id, from a product's image list and variant image names."""
    out: dict[str, int] = {}
    for image in product.get("images") or []:
        if isinstance(image, Mapping) and isinstance(image.get("fileId"), int):
            out[str(markers.name(image))] = image["fileId"]
    for variant in product.get("variants") or []:
        name = variant.get("image") if isinstance(variant, Mapping) else None
        if isinstance(name, str) and (match := _VARIANT_FILE.match(name)):
            out.setdefault(name, int(match.group(1)))
    return out


CODES = ("sku", "articleCode", "ean")
CODE_NAMES = {"sku": "SKU", "articleCode": "article code", "ean": "EAN"}


def shared_code(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> str | None:
    """The first of SKU, article code and EAN that both variants hold (case aside), if any."""
    mine, live = ({n: same_code(as_str(v.get(n)).strip()) for n in CODES} for v in (ours, theirs))
    return next((n for n in CODES if mine[n] == live[n] != ""), None)


def match_by_code(
    mine: Iterable[tuple[Hashable, Mapping[str, Any]]], candidates: Iterable[Mapping[str, Any]], taken: set[int]
) -> dict[Hashable, int]:
    """Our variants (key, variant) → the id of the one candidate holding the same SKU, article code
    or EAN (tried in that order; an id in ``taken``, or a code two candidates hold, matches nothing)."""
    pool = [v for v in candidates if isinstance(v.get("id"), int)]
    mine = list(mine)
    out: dict[Hashable, int] = {}
    for name in CODES:
        for key, variant in mine:
            code = as_str(variant.get(name)).strip()
            if key in out or not code:
                continue
            hits = [v["id"] for v in pool if as_str(v.get(name)).strip() == code and v["id"] not in taken]
            if len(hits) == 1:
                out[key] = hits[0]
                taken.add(hits[0])
    return out


def by_id(variant: Mapping[str, Any]) -> Hashable:
    vid = variant.get("id")
    return vid if isinstance(vid, int) else ("new", id(variant))


@dataclass
class VersionSide:
    """A mirror version as field paths, with its image bytes for uploading."""

    version: Version
    flat: dict[Path, Any]
    variants: dict[Hashable, Mapping[str, Any]]

    def uploads(self) -> dict[str, Upload]:
        out: dict[str, Upload] = {}
        names = [str(i.get("file")) for i in self.version.product.get("images") or [] if isinstance(i, Mapping)]
        names = [name for name in names if not markers.is_ident(self.version.image_ident(name))]
        names += [str(v["image"]) for v in self.variants.values() if isinstance(v.get("image"), str)]
        for name in names:
            ident = self.version.image_ident(name)
            if ident is not None and ident not in out:
                out[ident] = Upload(ident, _upload_name(name), _reader(self.version, name))
        return out


def version_side(version: Version, languages: Sequence[str], vkey: VariantKey = by_id) -> VersionSide:
    variants = {vkey(v): v for v in version.product.get("variants") or [] if isinstance(v, Mapping)}
    flat = writable(flatten(version.product, languages, version.image_ident, vkey))
    return VersionSide(version, flat, variants)


def writable(flat: dict[Path, Any]) -> dict[Path, Any]:
    """The paths a write can send: without a variant's options, which the API documents no write
    of (a matrix's options come from the back office, or from Retail)."""
    return {path: value for path, value in flat.items() if not (path[0] == "variants" and path[2:] == ("options",))}


def live_side(built: Built, languages: Sequence[str], known: Known) -> tuple[dict[Path, Any], list[str | None]]:
    """The live product's field paths, and the identities of its product images in order."""
    plans = {plan.file: plan for plan in built.images}

    def ident(name: str) -> str | None:
        plan = plans.get(name)
        return known.live_ident(plan) if plan is not None else None

    flat = writable(flatten(built.product, languages, ident, by_id))
    images = [str(i.get("file")) for i in built.product.get("images") or []]
    return flat, [ident(name) for name in images]


def _reader(version: Version, name: str) -> Callable[[], bytes]:
    return lambda: version.image_bytes(name)


def _upload_name(name: str) -> str:
    """The file name to upload as: without the mirror's ``NN-`` position or variant prefix."""
    stem = re.sub(r"^(\d+-|variant-\d+-\d+-)", "", name, flags=re.ASCII)
    return stem or name


def _hashable(value: Any) -> bool:
    return isinstance(value, Hashable)


def remap(paths: Iterable[Path], keys: Mapping[Hashable, int]) -> dict[Path, Path]:
    """Paths of new variants (keyed by a placeholder) as the shop now names them (by new id); also
    the quantity discounts of one such variant."""
    out = {}
    for path in paths:
        if path[0] in ("variants", "quantityDiscounts") and len(path) > 1 and _hashable(path[1]) and path[1] in keys:
            out[path] = (path[0], keys[path[1]], *path[2:])
        else:
            out[path] = path
    return out
