"""Register and remove the webhooks ``ecomgit watch`` listens to.

One webhook per item group (``products``, ``variants``), every action (``*``), JSON, at the public
address given. Registering again changes nothing when they exist; a webhook of the shop's at
another address is never touched. The shop's ``maxWebhooks`` (``/shop/limits.json``) is checked
before anything is made.
"""

from __future__ import annotations

from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str
from ecomgit.errors import ConfigError

GROUPS = ("products", "variants")


def ours(client: ShopClient, address: str) -> list[dict[str, Any]]:
    """The shop's webhooks at ``address``."""
    return [hook for hook in client.iter_list("webhooks", "webhooks") if as_str(hook.get("address")) == address]


def register(client: ShopClient, address: str, language: str) -> list[str]:
    """Make the webhooks that are missing; returns what was done, in words."""
    present = {as_str(hook.get("itemGroup")) for hook in ours(client, address) if hook.get("isActive") is not False}
    missing = [group for group in GROUPS if group not in present]
    if not missing:
        return [f"webhooks for {', '.join(GROUPS)} at {address}: there already"]
    limit = as_int(client.get_one("shop/limits", "shopLimits").get("maxWebhooks"))
    total = client.count("webhooks")
    if limit is not None and total + len(missing) > limit:
        raise ConfigError(
            f"the shop allows {limit} webhooks and has {total}; ecomgit watch needs {len(missing)} more "
            f"({', '.join(missing)}). Remove webhooks the shop no longer needs, then run it again"
        )
    done = []
    for group in missing:
        body = {"isActive": True, "itemGroup": group, "itemAction": "*", "language": language, "format": "json"}
        made = client.post("webhooks", "webhook", {**body, "address": address}, lang=language)
        done.append(f"registered webhook {made.get('id')}: {group}/* at {address}")
    return done


def unregister(client: ShopClient, address: str) -> list[str]:
    """Remove ecomgit's webhooks at ``address``; returns what was done, in words."""
    done = []
    for hook in ours(client, address):
        client.delete(f"webhooks/{as_int(hook.get('id'))}")
        done.append(f"removed webhook {hook.get('id')}: {hook.get('itemGroup')}/* at {address}")
    return done or [f"no webhook at {address}"]
