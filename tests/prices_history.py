"""Generated mirror histories for the price tests: one commit per sync, dated, with its trailer."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

DAY = 86400
CONFIG = "api_url: https://api.webshopapp.com\nlanguages:\n- en\n"


def product_yaml(pid: int, sku: str, price: str, old: str = "0", category: str = "outdoor/kamperen") -> str:
    excl = (Decimal(price) / Decimal("1.21")).quantize(Decimal("0.01"))
    old_excl = (Decimal(old) / Decimal("1.21")).quantize(Decimal("0.01"))
    return (
        f"id: {pid}\nvisibility: visible\ntitle:\n  en: Product {pid}\nurl:\n  en: product-{pid}\n"
        f"categories:\n- id: 5231133\n  url: {category}\n  sortOrder: 1\ntags: []\n"
        f"variants:\n- id: {pid}1\n  isDefault: true\n  title:\n    en: Default\n  articleCode: {sku}\n  sku: {sku}\n"
        f"  priceExcl: {excl}\n  priceIncl: {price}\n  oldPriceExcl: {old_excl}\n  oldPriceIncl: {old}\n"
        f"  options: []\n  metafields: []\nquantityDiscounts: []\nmetafields: []\n"
    )


@dataclass
class Mirror:
    """A mirror whose day 0 is ``start`` (unix seconds): ``sync(day, {pid: (sku, price, old)})``."""

    root: Path
    start: int = field(default_factory=lambda: int(time.time()) - 120 * DAY)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        (self.root / ".ecomgit").mkdir(exist_ok=True)
        (self.root / ".ecomgit" / "config.yaml").write_text(CONFIG)

    def git(self, *args: str, when: int | None = None) -> str:
        env = dict(os.environ)
        if when is not None:
            stamp = f"@{when} +0000"
            env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def at(self, day: float) -> int:
        return self.start + int(day * DAY)

    def write(self, products: dict[int, tuple[str, ...] | None]) -> None:
        for pid, prices in products.items():
            path = self.root / "products" / f"{pid}-product-{pid}" / "product.yaml"
            if prices is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(product_yaml(pid, *prices))

    def sync(self, day: float, products: dict[int, tuple[str, ...] | None] | None = None) -> str:
        self.write(products or {})
        when = self.at(day)
        self.git("add", "-A")
        moment = datetime.fromtimestamp(when, UTC).isoformat()
        message = f"Sync: {moment}\n\nEcomgit-Sync: {moment}\n"
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.git("rev-parse", "HEAD").strip()

    def daily(self, first: int, last: int, skip: range = range(0)) -> None:
        """A sync each day from ``first`` to ``last`` (both included) that saw nothing change."""
        for day in range(first, last + 1):
            if day not in skip:
                self.sync(day)


README_START = 1791244800  # 2026-10-06 00:00 UTC
TENT, GLOVES, SEALANT = 72418636, 72418556, 72418421


def readme_history(root: Path) -> Mirror:
    """The README's example: daily syncs for 60 days but none from day 47 to 52; the tent at 319 for
    ten days, then a sale at 299 from 349; the gloves reduced after 40 days at 39.95; the sealant
    reduced on day 58, its window holding the gap."""
    mirror = Mirror(root, start=README_START)
    mirror.sync(0, {TENT: ("TV-DL2", "349"), GLOVES: ("WW-VORST-S", "39.95"), SEALANT: ("KL-SEAL-500", "19.95")})
    changes: dict[int, dict[int, tuple[str, ...] | None]] = {
        20: {TENT: ("TV-DL2", "319")},
        30: {TENT: ("TV-DL2", "349")},
        40: {GLOVES: ("WW-VORST-S", "34.95", "39.95")},
        45: {TENT: ("TV-DL2", "299", "349")},
        58: {SEALANT: ("KL-SEAL-500", "16.95", "19.95")},
    }
    for day in range(1, 61):
        if not 47 <= day <= 52:
            mirror.sync(day, changes.get(day))
    return mirror
