"""Facts about the shop a write needs: whether Lightspeed Retail owns part of each product."""

from __future__ import annotations

from ecomgit.api import ShopClient
from ecomgit.api.values import as_bool
from ecomgit.mirror import files, layout, safety
from ecomgit.shop import Repo


def retail_owned(repo: Repo, client: ShopClient) -> bool:
    """True when the shop is linked to Retail: ``retail`` in the config, else the shop's ``isRetail``.

    The mirror's ``shop/shop.yaml`` says it for free; without one, ``/shop.json`` is asked.
    """
    if repo.config.retail in ("true", "false"):
        return repo.config.retail == "true"
    path = safety.guard(repo.root, repo.root / layout.SHOP_FILE)  # never read through a link
    if path.exists():
        data = files.read_yaml(path)
        if isinstance(data, dict) and "isRetail" in data:
            return as_bool(data.get("isRetail"))
    return as_bool(client.get_one("shop", "shop").get("isRetail"))
