"""Product folders a person made by hand (no product id yet): what check, status and push say of them.

A folder under ``products/`` whose name starts with no product id (``products/new-bike/``, its
file saying ``id: null``) is a product that does not exist in the shop yet. ``status`` names it,
and ``push`` creates it (:mod:`ecomgit.write.create`), except on a shop linked to Lightspeed Retail:
there new products come from Retail (made there and published to eCom; the next sync brings them
in), so ``check`` reports the folder as a problem (the review workflow shows it) and ``push``
refuses to run while it is there, both with that advice. Neither ever says "nothing to do".
"""

from __future__ import annotations

import os
from pathlib import Path

from ecomgit.api.values import as_bool
from ecomgit.config import Config
from ecomgit.mirror import files, layout, safety


def new_folders(root: Path) -> list[str]:
    """Folders under ``products/`` holding a product file and no product id in their name."""
    base = root / layout.PRODUCTS_DIR
    if not base.is_dir() or base.is_symlink():
        return []
    return sorted(
        entry.name
        for entry in os.scandir(base)
        if entry.is_dir(follow_symlinks=False)
        and layout.folder_product_id(entry.name) is None
        and not entry.name[:1].isdigit()  # an id in other digits than 0-9 is a problem of its own (check says so)
        and (Path(entry.path) / layout.PRODUCT_FILE).is_file()
    )


def advice(root: Path, config: Config, *, retail: bool | None = None) -> str:
    """What to do with a new product folder, on this shop (``retail``: whether it is linked to
    Lightspeed Retail, when the caller asked the shop; else the mirror's own record says)."""
    if retail if retail is not None else retail_linked(root, config):
        return (
            "a new product (no product id): on a shop linked to Lightspeed Retail new products come from Retail: "
            "create the item in Retail and publish it to eCom, then run 'ecomgit sync' (it brings the product "
            "into a folder of its own) and remove this folder"
        )
    return (
        "a new product (no product id): 'ecomgit push' creates it in the shop, then moves it into a folder "
        "named after its id"
    )


def retail_linked(root: Path, config: Config) -> bool:
    """Whether the mirror's shop is linked to Lightspeed Retail, from the config or ``shop/shop.yaml``
    (no request: for the commands that read the mirror only)."""
    if config.retail in ("true", "false"):
        return config.retail == "true"
    path = safety.guard(root, root / layout.SHOP_FILE)
    data = files.read_yaml(path) if path.exists() else None
    return isinstance(data, dict) and as_bool(data.get("isRetail"))
