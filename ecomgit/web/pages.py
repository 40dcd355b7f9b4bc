"""What the pages show, from the mirror: a product's content as the shop shows it, its timeline in
words, the lost products with their restore plans. No web framework here: plain values for templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nh3

from ecomgit import commits
from ecomgit.api.values import as_str
from ecomgit.config import Config
from ecomgit.lost import Lost
from ecomgit.revisions import Deletion, Version, deletions, version_at

TEXT_FIELDS = ("title", "fulltitle", "description", "content", "url")
HTML_FIELDS = frozenset({"description", "content"})
VARIANT_COLUMNS = ("sku", "ean", "articleCode", "priceIncl", "priceExcl", "oldPriceIncl", "oldPriceExcl", "weightValue")


def sanitize(html: str) -> str:
    """Shop HTML made safe to show: nh3 keeps the formatting tags, drops scripts, event handlers,
    ``javascript:`` links and styles."""
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


@dataclass
class Text:
    field: str
    language: str
    value: str
    html: str | None  # sanitized HTML for the fields that hold HTML


@dataclass
class ProductView:
    pid: int
    version: Version
    live: bool  # in the shop (at HEAD); else its last mirrored revision
    texts: list[Text]
    variants: list[dict[str, Any]]
    images: list[dict[str, Any]]
    categories: list[str]
    tags: list[str]
    metafields: list[tuple[str, str]]

    def title(self, language: str) -> str:
        titles = self.version.product.get("title")
        return as_str(titles.get(language)) if isinstance(titles, dict) else str(self.pid)


def product_view(root: Path, config: Config, pid: int, removed: list[Deletion] | None = None) -> ProductView | None:
    """Product ``pid`` as the mirror holds it at HEAD, or (a lost product) at its last revision;
    ``removed``: :func:`ecomgit.revisions.deletions`, when the caller knows it already."""
    head = commits.commit_id(root, "HEAD")
    version, live = (version_at(root, head, pid) if head else None), True
    if version is None:
        last = next((d.last_rev for d in (deletions(root) if removed is None else removed) if d.pid == pid), None)
        version, live = (version_at(root, last, pid) if last else None), False
    if version is None:
        return None
    product = version.product
    texts = []
    for name in TEXT_FIELDS:
        values = product.get(name)
        for language in config.languages:
            value = as_str(values.get(language)) if isinstance(values, dict) else ""
            texts.append(Text(name, language, value, sanitize(value) if name in HTML_FIELDS else None))
    return ProductView(
        pid,
        version,
        live,
        texts,
        [_variant(v, config.default_language) for v in product.get("variants") or [] if isinstance(v, dict)],
        [i for i in product.get("images") or [] if isinstance(i, dict) and i.get("file") in version.image_blobs],
        [_named(c, config.default_language) for c in product.get("categories") or []],
        [_named(t, config.default_language) for t in product.get("tags") or []],
        [
            (as_str(m.get("key")), as_str(m.get("value")))
            for m in product.get("metafields") or []
            if isinstance(m, dict)
        ],
    )


def _variant(variant: dict[str, Any], language: str) -> dict[str, Any]:
    titles = variant.get("title")
    title = as_str(titles.get(language)) if isinstance(titles, dict) else ""
    return {"title": title.strip('"'), **{k: as_str(variant.get(k)) for k in VARIANT_COLUMNS}}


def _named(item: Any, language: str) -> str:
    if not isinstance(item, dict):
        return as_str(item)
    for key in ("title", "name", "key"):
        value = item.get(key)
        if isinstance(value, dict):
            return as_str(value.get(language) or next(iter(value.values()), ""))
        if value:
            return as_str(value)
    return as_str(item.get("id"))


def restore_plan(item: Lost) -> list[str]:
    """What restoring a lost product would do, in words (as ``ecomgit lost`` says it)."""
    if item.restored_as is not None:
        return [f"Already restored, as product {item.restored_as}."]
    if len(item.successors) == 1:
        s = item.successors[0]
        words = [
            f"Graft its content (texts, images, categories, tags, metafields) from revision {item.last_rev[:10]} onto "
            f"product {s.pid} {s.title}, which now holds its codes {', '.join(s.codes)}.",
            "The graft only adds: the successor keeps its own images, categories and variants.",
        ]
        if len(item.together) > 1:
            words.append(f"Restored together with {', '.join(map(str, item.together))}: their codes are all there.")
        return words
    if item.waiting:
        return ["Waiting for Retail: publish the item to eCom again from Retail, sync, then restore it onto that."]
    if item.successors:
        return [f"Several products hold its codes ({', '.join(str(s.pid) for s in item.successors)}): choose one."]
    return [f"Create it anew in the shop from revision {item.last_rev[:10]} (a new id; the old one cannot come back)."]
