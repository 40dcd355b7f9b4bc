"""The repository's ``.ecomgit/config.yaml``: shop URL, languages, field policy. Never secrets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ecomgit import gitrepo
from ecomgit.api.cdn import DEFAULT_LIMIT
from ecomgit.errors import ConfigError, EcomgitError, MirrorFileError
from ecomgit.mirror import files, layout, safety, yamlio
from ecomgit.mirror.imagefile import DEFAULT_MAX_MB

CLUSTERS = {
    "eu1": "https://api.webshopapp.com",
    "us1": "https://api.shoplightspeed.com",
}


@dataclass(frozen=True)
class PriceRules:
    """``prices:``: how ``ecomgit prices`` and ``check --prices`` judge an old price (docs/prices.md)."""

    window_days: int = 30  # ``windowDays``: the days before a reduction whose lowest price counts
    tolerance: Decimal = Decimal(0)  # an old price at most this much above the lowest is not flagged
    max_gap_days: float = 2.0  # ``maxGapDays``: captures further apart than this may hide a price
    basis: str = "incl"  # ``compare``: incl (priceIncl with oldPriceIncl) or excl (priceExcl with oldPriceExcl)
    exclude_products: tuple[str, ...] = ()  # ids, SKUs or article codes (``exclude.products``)
    exclude_categories: tuple[str, ...] = ()  # category ids or urls (``exclude.categories``)

    def to_dict(self) -> dict[str, Any]:
        return {
            "windowDays": self.window_days,
            "tolerance": float(self.tolerance),
            "maxGapDays": self.max_gap_days,
            "compare": self.basis,
            "exclude": {"products": list(self.exclude_products), "categories": list(self.exclude_categories)},
        }


@dataclass(frozen=True)
class Config:
    api_url: str
    languages: tuple[str, ...] = ()
    include_fields: tuple[str, ...] = ()
    # Variant metafields: read with each product read in depth and kept fresh by the metafield
    # rotation (docs/request-economy.md). On unless the config says ``deep.variantMetafields: false``.
    variant_metafields: bool = True
    # Metafields have no bulk endpoint and an edit may not move the product's updatedAt: each sync
    # also re-reads those checked longest ago, so each is read again within this many hours …
    metafields_max_age: float = 24.0
    # … spending on that at most this share of the shop's daily request limit (docs/request-economy.md).
    metafields_share: float = 0.5
    retail: str = "auto"  # auto | true | false: whether Retail owns titles, prices, … (push/restore)
    # review | auto: lost content whose codes live in another product is proposed back as a branch
    # for review (review), or restored onto it by the sync or watch that found it (auto): ecomgit.heal
    heal: str = "review"
    image_max_mb: float = DEFAULT_MAX_MB  # ``images.maxFileMB``: the largest image file check and push accept
    image_limit: int = DEFAULT_LIMIT  # bytes: a larger image is not downloaded (``images.maxDownloadMB``)
    prices: PriceRules = field(default_factory=PriceRules)  # ``prices:`` (written only when set)

    @property
    def default_language(self) -> str:
        if not self.languages:
            raise ConfigError("the config names no languages; run 'ecomgit init' again")
        return self.languages[0]

    def to_yaml(self) -> bytes:
        data: dict[str, Any] = {
            "api_url": self.api_url,
            "languages": list(self.languages),
            "fields": {"include": list(self.include_fields)},
            "deep": {
                "variantMetafields": self.variant_metafields,
                "metafieldsMaxAge": self.metafields_max_age,
                "metafieldsShare": self.metafields_share,
            },
            "retail": self.retail,
            "heal": self.heal,
            "images": {"maxFileMB": self.image_max_mb, "maxDownloadMB": self.image_limit / 2**20},
        }
        if self.prices != PriceRules():
            data["prices"] = self.prices.to_dict()
        header = (
            "# ecomgit configuration. No secrets here: credentials come from ECOMGIT_API_KEY and\n"
            "# ECOMGIT_API_SECRET (or a 0600 credentials file outside the repository).\n"
        )
        return header.encode() + yamlio.dump(data).encode()


def holds_credentials(url: str) -> bool:
    """True for a URL with ``user:secret@`` in it: credentials that must never be written to the repository."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:  # e.g. an unclosed IPv6 bracket: judge the text between '//' and the path
        netloc = url.partition("//")[2].partition("/")[0]
    return "@" in netloc


def config_path(root: Path) -> Path:
    return root / layout.CONFIG_FILE


def load(root: Path) -> Config:
    path = safety.guard(root, config_path(root))  # never read through a link (it may point outside the repository)
    if not path.exists():
        raise ConfigError(f"{root} has no {layout.CONFIG_FILE}; run 'ecomgit init' first")
    data = files.read_yaml(path)
    if not isinstance(data, dict):
        raise MirrorFileError(str(path), "expected a mapping of settings", line=1)
    return _from_dict(data, str(path))


def raw_at(root: Path, rev: str) -> dict[str, Any] | None:
    """The settings as the config file at revision ``rev`` holds them, unchecked (None: no file, or
    one that does not read): for describing or honouring a revision, never for running."""
    raw = gitrepo.blob(root, rev, str(layout.CONFIG_FILE))
    try:
        data = yamlio.load(raw.decode("utf-8"), f"{rev[:10]}:{layout.CONFIG_FILE}") if raw else None
    except (EcomgitError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _from_dict(data: dict[str, Any], where: str) -> Config:
    url = data.get("api_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise MirrorFileError(where, "'api_url' must be an http(s) URL, e.g. https://api.webshopapp.com")
    if holds_credentials(url):
        raise MirrorFileError(
            where,
            "'api_url' holds credentials (key:secret@); remove them from the URL (and rotate the key if it was "
            "committed) and set ECOMGIT_API_KEY and ECOMGIT_API_SECRET instead",
        )
    languages = data.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise MirrorFileError(where, "'languages' must be a list of language codes, e.g. [nl, en]")
    fields = data.get("fields") or {}
    deep = data.get("deep") or {}
    if not isinstance(deep, dict):
        raise MirrorFileError(where, "'deep' must be a mapping, e.g. 'deep: {variantMetafields: true}'")
    images = data.get("images") or {}
    if not isinstance(images, dict):
        raise MirrorFileError(where, "'images' must be a mapping, e.g. 'images: {maxFileMB: 20, maxDownloadMB: 50}'")
    retail = str(data.get("retail", "auto")).lower()
    if retail not in ("auto", "true", "false"):
        raise MirrorFileError(where, "'retail' must be auto, true or false")
    heal = str(data.get("heal", "review")).lower()
    if heal not in ("review", "auto"):
        raise MirrorFileError(where, "'heal' must be review (lost content proposed for review) or auto (restored)")
    return Config(
        api_url=url.rstrip("/"),
        languages=tuple(languages),
        include_fields=tuple(fields.get("include") or ()),
        variant_metafields=_switch(deep, "variantMetafields", Config.variant_metafields, where),
        metafields_max_age=_number(deep, "metafieldsMaxAge", Config.metafields_max_age, where, "hours, e.g. 24", None),
        metafields_share=_number(
            deep, "metafieldsShare", Config.metafields_share, where, "a share of the daily limit, e.g. 0.5", 1.0
        ),
        retail=retail,
        heal=heal,
        image_max_mb=_number(images, "maxFileMB", DEFAULT_MAX_MB, where, "megabytes per file, e.g. 20", None, "images"),
        image_limit=_image_limit(images, where),
        prices=_price_rules(data.get("prices"), where),
    )


def _price_rules(section: Any, where: str) -> PriceRules:
    """``prices: {windowDays: 30, tolerance: 0.01, maxGapDays: 2, compare: incl, exclude: {…}}``."""
    if section is None:
        return PriceRules()
    if not isinstance(section, dict):
        raise _at(where, "'prices' must be a mapping, e.g. 'prices: {windowDays: 30}'", "prices")
    unknown = sorted(set(section) - {"windowDays", "tolerance", "maxGapDays", "compare", "exclude"})
    if unknown:
        raise _at(
            where,
            f"'prices.{unknown[0]}' is not a setting; use windowDays, tolerance, maxGapDays, compare or exclude",
            "prices",
            unknown[0],
        )
    window = section.get("windowDays", 30)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 366:
        raise _at(
            where, "'prices.windowDays' must be a whole number of days from 1 to 366, e.g. 30", "prices", "windowDays"
        )
    tolerance = section.get("tolerance", 0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise _at(where, "'prices.tolerance' must be an amount of 0 or more, e.g. 0.01", "prices", "tolerance")
    gap = section.get("maxGapDays", 2)
    if isinstance(gap, bool) or not isinstance(gap, int | float) or gap <= 0:
        raise _at(where, "'prices.maxGapDays' must be a number of days above 0, e.g. 2", "prices", "maxGapDays")
    basis = str(section.get("compare", "incl")).lower()
    if basis not in ("incl", "excl"):
        raise _at(where, "'prices.compare' must be incl (priceIncl) or excl (priceExcl)", "prices", "compare")
    exclude = section.get("exclude") or {}
    if not isinstance(exclude, dict) or set(exclude) - {"products", "categories"}:
        raise _at(where, "'prices.exclude' must be a mapping of 'products' and 'categories' lists", "prices", "exclude")
    lists = {}
    for key in ("products", "categories"):
        value = exclude.get(key) or []
        if not isinstance(value, list) or not all(isinstance(x, str | int) and not isinstance(x, bool) for x in value):
            raise _at(
                where,
                f"'prices.exclude.{key}' must be a list of ids or codes, e.g. [72418556, SKU-1]",
                "prices",
                "exclude",
            )
        lists[key] = tuple(str(x) for x in value)
    return PriceRules(window, Decimal(str(tolerance)), float(gap), basis, lists["products"], lists["categories"])


def _at(where: str, message: str, *keys: str) -> MirrorFileError:
    """The error for setting ``keys`` (a path of mapping keys), at its line in file ``where`` when known."""
    try:
        node = yamlio.compose(Path(where).read_text(encoding="utf-8"))
    except OSError:
        node = None
    line = None
    for key in keys:
        value = getattr(node, "value", None)
        if not isinstance(value, list):
            break
        pair = next(
            (pair for pair in value if isinstance(pair, tuple) and getattr(pair[0], "value", None) == key), None
        )
        if pair is None:
            break
        line, node = pair[0].start_mark.line + 1, pair[1]
    return MirrorFileError(where, message, line=line)


def _switch(section: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise MirrorFileError(where, f"'deep.{key}' must be true or false")
    return value


def _image_limit(section: Any, where: str) -> int:
    """``images: {maxDownloadMB: 50}``: the largest image a sync (or a push's read-back) downloads."""
    value = section.get("maxDownloadMB", DEFAULT_LIMIT / 2**20) if isinstance(section, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise MirrorFileError(where, "'images.maxDownloadMB' must be a number above 0 (megabytes, e.g. 50)")
    return int(value * 2**20)


def _number(
    section: dict[str, Any],
    key: str,
    default: float,
    where: str,
    what: str,
    upper: float | None,
    name: str = "deep",
) -> float:
    """A positive number under ``deep:`` (or ``name:``; at most ``upper``), or ``default`` when it is not set."""
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= (upper or float("inf")):
        limit = f" and at most {upper:g}" if upper is not None else ""
        raise MirrorFileError(where, f"'{name}.{key}' must be a number above 0{limit} ({what})")
    return float(value)


def save(root: Path, config: Config) -> None:
    files.write_bytes(config_path(root), config.to_yaml())
