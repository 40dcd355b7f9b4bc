"""``ecomgit drill``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import print_json, progress
from ecomgit.drill import DEFAULT_SAMPLE, run_drill
from ecomgit.errors import EcomgitError


@click.command()
@click.argument("products", nargs=-1)
@click.option(
    "--sample", default=DEFAULT_SAMPLE, show_default=True, help="How many products to drill, drawn at random."
)
@click.option("--seed", default=0, show_default=True, help="The seed of the draw: the same seed, the same products.")
@click.option("--all", "every", is_flag=True, help="Drill every product of the last synced state.")
@click.option(
    "--min",
    "least",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="The share every data kind must reach under every action (e.g. 0.99); below it the exit status is 1.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the table and every difference as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def drill(
    products: tuple[str, ...], sample: int, seed: int, every: bool, least: float, as_json: bool, quiet: bool
) -> None:
    """Prove in the emulator that products come back after each of Retail's destructive actions.

    Loads the mirror's last synced state into the built-in emulator, in this process (the products
    drilled, those they relate to, and those holding their codes): nothing is sent to the shop and no
    credentials are read; the repository is only read (the drill works in a scratch
    clone in a temporary directory). For each product (PRODUCTS: ids, SKUs, slugs or folders; else a
    sample), Retail's Delete from eCom, a merge into another item, and adding the item into a matrix
    are played; each product is then brought back as 'ecomgit lost' says (restore --onto its
    successor; on a shop linked to Retail, published again from Retail, sync, restore --onto auto;
    else restore), synced, and its file compared with the one the mirror held, field by field.

    The table gives, per data kind and action, the products restored exactly. The requests row gives
    the API requests the restores made, and in brackets their minimum: one read of the product
    restored into plus the writes the restore sent (each write counted as needed; the floor judges
    the reads, not whether a write could have been spared). Fields Retail owns on a successor (titles,
    prices, codes, brand, the variants' order) are Retail's and not compared.
    """
    report = run_drill(Path.cwd(), products=products, sample=sample, seed=seed, every=every, progress=progress(quiet))
    if as_json:
        print_json(report.to_json())
    else:
        click.echo("\n".join(report.lines()))
    short = report.below(least)
    if short or report.failures:
        named = ", ".join(short[:5]) + (" …" if len(short) > 5 else "")
        said = [f"{len(report.failures)} product(s) not restored"] if report.failures else []
        said += [f"below {least:.0%}: {named}"] if short else []
        raise EcomgitError(f"the drill fell short ({'; '.join(said)}); the differences are listed above")
