"""``ecomgit emulator serve`` and ``ecomgit emulator retail …`` (Retail's destructive actions)."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import PRODUCT_ID
from ecomgit.emulator import EmulatorApp, admin_client, serve
from ecomgit.emulator.catalogs import build_shop
from ecomgit.emulator.faults import DeliveryFaults
from ecomgit.emulator.outbox import Outbox

HELD_RELEASE_SECONDS = 2.0  # a delayed webhook delivery goes out at the latest once the outbox idles this long


@click.group()
def emulator() -> None:
    """The built-in emulator of the eCom API (for the demo, tests and benchmarks)."""


@emulator.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback).")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (0 = any free port).")
@click.option(
    "--catalog",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A mirror directory to serve (default: the bundled sample-catalog).",
)
@click.option("--synthetic", type=click.IntRange(min=1), help="Serve a generated shop of N products instead.")
@click.option("--api-key", help="Require this API key (default: accept any credentials).")
@click.option("--api-secret", help="Require this API secret.")
@click.option(
    "--rate-limit", default="300/3000/12000", show_default=True, help="Requests per 5 minutes/hour/day, or 'off'."
)
@click.option(
    "--time-scale",
    default=1.0,
    type=click.FloatRange(min=0.0001),
    show_default=True,
    help="Multiply the rate-limit windows' lengths (0.01: 5 minutes last 3 seconds).",
)
@click.option("--fail-rate", default=0.0, type=click.FloatRange(0, 1), help="Fraction of requests that fail.")
@click.option("--latency", default=0, type=click.IntRange(min=0), help="Milliseconds to wait before answering.")
@click.option(
    "--retail/--no-retail",
    default=None,
    help="Serve the shop as linked to Lightspeed Retail (isRetail), or not (default: as the catalog says).",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Play an API key without write permission: every POST, PUT and DELETE is answered 403.",
)
@click.option(
    "--webhook-drop-rate", default=0.0, type=click.FloatRange(0, 1), help="Fraction of webhook deliveries never sent."
)
@click.option(
    "--webhook-duplicate-rate", default=0.0, type=click.FloatRange(0, 1), help="Fraction of deliveries sent twice."
)
@click.option(
    "--webhook-delay-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Fraction of deliveries held back and sent after later ones (out of order).",
)
@click.option(
    "--webhook-delay-by",
    default=2,
    type=click.IntRange(min=1),
    show_default=True,
    help="A held-back delivery goes out after this many later ones (or once no other is waiting for 2 s).",
)
@click.option("--seed", default=0, type=int, show_default=True, help="Seed of the injected faults' random choices.")
def serve_cmd(
    host: str,
    port: int,
    catalog: Path | None,
    synthetic: int | None,
    api_key: str | None,
    api_secret: str | None,
    rate_limit: str,
    time_scale: float,
    fail_rate: float,
    latency: int,
    retail: bool | None,
    read_only: bool,
    webhook_drop_rate: float,
    webhook_duplicate_rate: float,
    webhook_delay_rate: float,
    webhook_delay_by: int,
    seed: int,
) -> None:
    """Serve the emulator until Ctrl-C; prints its base URL on stdout once it listens."""
    if (api_key is None) != (api_secret is None):
        raise click.UsageError("give both --api-key and --api-secret, or neither")
    rates = (webhook_drop_rate, webhook_duplicate_rate, webhook_delay_rate)
    outbox = _outbox(rates, webhook_delay_by, seed)
    shop = build_shop(catalog, synthetic)
    if retail is not None:
        shop.info.is_retail = retail
    app = EmulatorApp(
        shop,
        api_key=api_key,
        api_secret=api_secret,
        rate_limit=_limits(rate_limit),
        time_scale=time_scale,
        fail_rate=fail_rate,
        latency_ms=latency,
        read_only=read_only,
        seed=seed,
        outbox=outbox,
    )

    def ready(url: str) -> None:
        click.echo(url)
        click.echo(f"eCom emulator listening on {url} (Ctrl-C to stop)", err=True)

    serve(app, host, port, ready=ready)


def _outbox(rates: tuple[float, float, float], delay_by: int, seed: int) -> Outbox:
    """The webhook outbox with the faults asked for; the three rates must add up to at most 1."""
    if sum(rates) > 1.0:
        raise click.UsageError(
            "--webhook-drop-rate, --webhook-duplicate-rate and --webhook-delay-rate add up to more than 1"
        )
    drop, duplicate, delay = rates
    faults = DeliveryFaults(drop, duplicate, delay, delay_by=delay_by, seed=seed)
    return Outbox(faults=faults, idle_release=HELD_RELEASE_SECONDS)


def _limits(text: str) -> tuple[int, int, int] | None:
    if text.lower() == "off":
        return None
    try:
        five, hour, day = (int(part) for part in text.split("/"))
    except ValueError:
        raise click.BadParameter("use A/B/C (e.g. 300/3000/12000) or 'off'", param_hint="--rate-limit") from None
    return five, hour, day


@emulator.group("retail")
def retail_group() -> None:
    """Play Lightspeed Retail's actions on a running emulator: those that delete eCom products, and
    publishing items to eCom again."""


_URL = click.option("--url", required=True, help="The emulator's base URL, as printed by 'ecomgit emulator serve'.")
_PRODUCT_ID = PRODUCT_ID


@retail_group.command("delete")
@click.argument("product_id", type=_PRODUCT_ID)
@_URL
def retail_delete(product_id: int, url: str) -> None:
    """Delete from eCom: the product is deleted with all its eCom-only content."""
    admin_client.retail(url, "delete", {"product": product_id})
    click.echo(f"Retail deleted product {product_id} from eCom")


@retail_group.command("merge")
@click.argument("product_id", type=_PRODUCT_ID)
@click.option("--into", "into_id", required=True, type=_PRODUCT_ID, help="The product that survives the merge.")
@_URL
def retail_merge(product_id: int, into_id: int, url: str) -> None:
    """Merge an item into another: PRODUCT_ID is deleted, the --into product is kept (and touched)."""
    admin_client.retail(url, "merge", {"product": product_id, "into": into_id})
    click.echo(f"Retail merged product {product_id} into product {into_id}; product {product_id} is deleted")


@retail_group.command("matrix")
@click.argument("product_ids", nargs=-1, required=True, type=_PRODUCT_ID)
@click.option("--into", "matrix_id", type=_PRODUCT_ID, help="Add to this existing matrix product (default: a new one).")
@click.option("--title", help="Title of the new matrix product (default: the first product's title).")
@_URL
def retail_matrix(product_ids: tuple[int, ...], matrix_id: int | None, title: str | None, url: str) -> None:
    """Add items into a matrix: their products are deleted and become variants of a matrix product."""
    payload: dict[str, object] = {"products": list(product_ids), "matrix": matrix_id}
    if title is not None:
        payload["title"] = title
    answer = admin_client.retail(url, "matrix", payload)
    noun = "product" if len(product_ids) == 1 else "products"
    ids = ", ".join(str(pid) for pid in product_ids)
    kind = "new matrix product" if matrix_id is None else "matrix product"
    click.echo(f"Retail added {noun} {ids} into {kind} {answer.get('product')}")


@retail_group.command("publish")
@click.argument("skus", nargs=-1, required=True)
@_URL
def retail_publish(skus: tuple[str, ...], url: str) -> None:
    """Publish items to eCom again (by SKU, of one deleted product): a new product with only what
    Retail holds (title, prices, codes, brand, images, categories)."""
    answer = admin_client.retail(url, "publish", {"skus": list(skus)})
    click.echo(f"Retail published {', '.join(skus)} to eCom as product {answer.get('product')}")
