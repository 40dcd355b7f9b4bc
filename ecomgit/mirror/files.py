"""Read and write mirror files canonically: fixed key order, stable list order, exact text."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ecomgit.errors import MirrorFileError
from ecomgit.mirror import markers, schema, yamlio

Json = Any


def _order_keys(data: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """Known keys in schema order, then any others sorted (passed through, never dropped)."""
    out = {k: data[k] for k in keys if k in data}
    out.update({k: data[k] for k in sorted(data) if k not in out})
    return out


def _order_langs(value: Any, languages: Sequence[str] | None) -> Any:
    if not isinstance(value, Mapping) or languages is None:
        return value
    return _order_keys(value, languages)


def _texts(data: dict[str, Any], fields: Iterable[str], languages: Sequence[str] | None) -> None:
    for field in fields:
        if field in data:
            data[field] = _order_langs(data[field], languages)


def _sort_key(*keys: str) -> Any:
    def key(item: Any) -> tuple[Any, ...]:
        if not isinstance(item, Mapping):
            return (str(item),)
        return tuple((item.get(k) is None, item.get(k) if item.get(k) is not None else 0) for k in keys)

    return key


def _ordered_list(items: Any, keys: Sequence[str], sort_by: Sequence[str] | None) -> Any:
    if not isinstance(items, list):
        return items
    rows = [_order_keys(i, keys) if isinstance(i, Mapping) else i for i in items]
    return sorted(rows, key=_sort_key(*sort_by)) if sort_by else rows


def canonical_variant(variant: Mapping[str, Any], languages: Sequence[str] | None = None) -> dict[str, Any]:
    out = _order_keys(variant, schema.VARIANT_KEYS)
    _texts(out, schema.VARIANT_TEXTS, languages)
    if "metafields" in out:
        out["metafields"] = _ordered_list(out["metafields"], schema.METAFIELD_KEYS, ("key",))
    return out


def canonical_product(product: Mapping[str, Any], languages: Sequence[str] | None = None) -> dict[str, Any]:
    """The product with every key and list in canonical order (see docs/mirror-format.md)."""
    out = _order_keys(product, schema.PRODUCT_KEYS)
    _texts(out, schema.PRODUCT_TEXTS, languages)
    for ref in ("brand", "supplier", "deliverydate"):
        if isinstance(out.get(ref), Mapping):
            out[ref] = _order_keys(out[ref], schema.REF_KEYS[ref])
    for ref in ("categories", "tags"):
        if ref in out:
            out[ref] = _ordered_list(out[ref], schema.REF_KEYS[ref], ("id",))
    if isinstance(out.get("filters"), list):
        out["filters"] = sorted((_filter_entry(f) for f in out["filters"]), key=_filter_order)
    if isinstance(out.get("images"), list):  # a file, or a marker for an image not fetched
        out["images"] = [_order_keys(i, markers.keys(i)) if isinstance(i, Mapping) else i for i in out["images"]]
    if isinstance(out.get("variants"), list):
        rows = [canonical_variant(v, languages) if isinstance(v, Mapping) else v for v in out["variants"]]
        out["variants"] = sorted(rows, key=_sort_key("sortOrder", "id"))
    if "metafields" in out:
        out["metafields"] = _ordered_list(out["metafields"], schema.METAFIELD_KEYS, ("key",))
    if "relations" in out:
        out["relations"] = _ordered_list(out["relations"], schema.RELATION_KEYS, ("sortOrder", "id"))
    return out


def _filter_entry(entry: Any) -> Any:
    if not isinstance(entry, Mapping):
        return entry
    out = _order_keys(entry, schema.FILTER_KEYS)
    for key in schema.FILTER_KEYS:
        if isinstance(out.get(key), Mapping):
            out[key] = _order_keys(out[key], schema.FILTER_REF_KEYS)
    return out


def _filter_order(entry: Any) -> tuple[Any, ...]:
    """By filter id, then value id (what is not a number sorts last, as it is)."""
    if not isinstance(entry, Mapping):
        return (1, str(entry))
    ids = []
    for key in schema.FILTER_KEYS:
        ref = entry.get(key)
        ident = ref.get("id") if isinstance(ref, Mapping) else None
        ids.append((0, ident) if isinstance(ident, int) else (1, str(ident)))
    return (0, *ids)


def dump_product(product: Mapping[str, Any], languages: Sequence[str] | None = None) -> bytes:
    return yamlio.dump(canonical_product(product, languages)).encode("utf-8")


def canonical_list(
    items: Iterable[Mapping[str, Any]],
    keys: Sequence[str],
    texts: Sequence[str],
    languages: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        row = _order_keys(item, keys)
        _texts(row, texts, languages)
        rows.append(row)
    return sorted(rows, key=_sort_key("id"))


def dump_list(
    items: Iterable[Mapping[str, Any]],
    keys: Sequence[str],
    texts: Sequence[str] = (),
    languages: Sequence[str] | None = None,
) -> bytes:
    return yamlio.dump(canonical_list(items, keys, texts, languages)).encode("utf-8")


def dump_reviews(reviews: Iterable[Mapping[str, Any]]) -> bytes:
    """Render a product folder's ``reviews.yaml`` (by id: the order they were posted in)."""
    return dump_list(reviews, schema.REVIEW_KEYS)


def dump_shop_list(name: str, items: Iterable[Mapping[str, Any]], languages: Sequence[str] | None) -> bytes:
    """Render ``shop/<name>.yaml`` (categories, tags, brands, deliverydates)."""
    keys, texts = schema.SHOP_LISTS[name]
    return dump_list(items, keys, texts, languages)


def dump_shop(shop: Mapping[str, Any]) -> bytes:
    out = _order_keys(shop, schema.SHOP_KEYS)
    if isinstance(out.get("languages"), list):
        out["languages"] = [_order_keys(lang, schema.LANGUAGE_KEYS) for lang in out["languages"]]
    return yamlio.dump(out).encode("utf-8")


def write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it; True when written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)  # a file left there may be a hard link to one elsewhere: never written into
    with open(tmp, "xb") as handle:  # made anew, never through a link planted meanwhile
        handle.write(data)
    os.replace(tmp, path)
    return True


def write_product(path: Path, product: Mapping[str, Any], languages: Sequence[str] | None = None) -> bool:
    return write_bytes(path, dump_product(product, languages))


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise MirrorFileError(str(path), "file not found") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MirrorFileError(str(path), "not valid UTF-8; save the file as UTF-8", line=line) from None


def read_yaml(path: Path) -> Json:
    return yamlio.load(_read_text(path), str(path))


def read_product(path: Path) -> dict[str, Any]:
    """A product file as plain values; raises MirrorFileError when it is not a product mapping."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise MirrorFileError(str(path), "expected a product (a YAML mapping with an id)", line=1)
    if not isinstance(data.get("id"), int):
        raise MirrorFileError(str(path), "the product has no numeric 'id'; restore it from git", line=1)
    return data


def read_list(path: Path) -> list[dict[str, Any]]:
    """A shop-level list file; a missing file is an empty list."""
    if not path.exists():
        return []
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise MirrorFileError(str(path), "expected a YAML list of mappings", line=1)
    return data
