"""New products: a folder a person made (``products/new-bike/``, ``id: null``), created by push.

On a shop not linked to Lightspeed Retail, ``ecomgit push`` creates the product a committed new
folder describes (its texts, variants and images, as a restore re-creates a deleted product), reads
it back, writes it into a folder of its own (``<id>-<slug>``) and removes the new folder's files
from the mirror, all in the push's record commit. On a Retail-linked shop it refuses and says why:
products there come from Retail (see :mod:`ecomgit.newproducts`).

Never twice: the moment the shop makes the product, its id is noted in the clone's state under the
folder's name; a push cut short after that continues onto that product instead of making another.
Before a create, the live products holding any of the new product's codes are looked up (as
restore does): a product the shop already has is not made again; the push names it instead.
"""

from __future__ import annotations

from pathlib import Path

from ecomgit.api.values import as_str
from ecomgit.config import Config
from ecomgit.errors import MirrorError
from ecomgit.ids import parse_id
from ecomgit.mirror import layout, owned
from ecomgit.newproducts import advice, new_folders
from ecomgit.revisions import codes_of, new_versions
from ecomgit.sync.state import State
from ecomgit.text import one_line
from ecomgit.write import holders
from ecomgit.write.apply import keep_unfetched, limit_variant_images
from ecomgit.write.fields import Decision, Policy, overwrite
from ecomgit.write.job import Executor, Job
from ecomgit.write.live import LiveReader, all_parts
from ecomgit.write.sides import Known, live_side, version_side


def journal_key(folder: str) -> str:
    """Where the id of the product made from ``folder`` is noted until a commit maps it."""
    return f"create:{folder}"


def plan_new(
    root: Path,
    config: Config,
    state: State,
    reader: LiveReader,
    known: Known,
    executor: Executor,
    *,
    retail: bool,
    policy: Policy,
) -> list[Job]:
    """A job per new product folder at HEAD: a create, or, after a push cut short, an update of the
    product it already made. On a Retail-linked shop: refused, nothing planned."""
    folders = new_folders(root)
    if not folders:
        return []
    if retail:
        why = advice(root, config, retail=True)
        listed = "\n".join(f"  {layout.PRODUCTS_DIR}/{name}/{layout.PRODUCT_FILE}: {why}" for name in folders)
        raise MirrorError(f"{len(folders)} product folder(s) without a product id; nothing was written:\n{listed}")
    languages = list(config.languages)
    versions = new_versions(root, "HEAD", folders)
    jobs = []
    missing = [name for name in folders if name not in versions]
    if missing:  # check_ready refused uncommitted files already; a folder HEAD lacks is one of them
        raise MirrorError(f"{layout.PRODUCTS_DIR}/{missing[0]} is not committed; commit it, then push again")
    for folder in folders:
        version = versions[folder]
        known.learn(version)
        title = one_line(as_str((version.product.get("title") or {}).get(languages[0]))) or folder
        ours = version_side(version, languages)
        job = Job(0, title, ours, Decision(), None, folder=None, new_folder=folder)
        noted = parse_id(state.get_meta(journal_key(folder)) or "")
        live = reader.read(noted, all_parts(languages, config.variant_metafields)) if noted else None
        if live is not None:  # made by a push cut short: finish it, never make it again
            built = executor.build(live, None)
            theirs, job.live_idents = live_side(built, languages, known)
            decision = policy.apply(overwrite(ours.flat, theirs), theirs)
            limit_variant_images(decision, job.live_idents, theirs)
            keep_unfetched(decision, job.live_idents, version.product)
            job.live, job.target, job.decision = live, live.pid, decision
            job.see_live(theirs, built)
        else:
            found = holders.live_holders(root, reader, sorted(codes_of(version.product)))
            if found:
                named = ", ".join(f"{h.pid} {h.title} ({', '.join(h.codes)})" for h in found[:5])
                job.refused = (
                    f"the shop already has a product with its codes: {named}. Edit that product's folder "
                    "instead (after 'ecomgit sync'), or give the new product other codes"
                )
        jobs.append(job)
    return jobs


def summary(job: Job) -> str:
    """What a create will make, in words: its variants with their codes, and its images."""
    product = job.ours.version.product
    variants = [v for v in product.get("variants") or [] if isinstance(v, dict)]
    codes = [as_str(v.get("sku")) or as_str(v.get("articleCode")) for v in variants]
    shown = ", ".join(c for c in codes[:5] if c) + (", …" if len(codes) > 5 else "")
    images = len([i for i in product.get("images") or [] if isinstance(i, dict)])
    return f"{len(variants)} variant(s){f' ({shown})' if shown else ''}, {images} image(s)"


def made(state: State, folder: str, pid: int) -> None:
    """Note the product the shop just made from ``folder`` (before anything else is written)."""
    state.set_meta(journal_key(folder), str(pid))


def retire(root: Path, job: Job) -> None:
    """Remove the new folder's files now that the product is recorded in its own folder (files a
    person keeps there that git does not track stay)."""
    assert job.new_folder is not None
    folder = layout.product_dir(root, job.new_folder)
    owned.remove_product_files(folder, [])


def forget(state: State, jobs: list[Job]) -> None:
    """The record commit maps the new products now: their notes go."""
    for job in jobs:
        if job.new_folder is not None:
            state.db.execute("DELETE FROM meta WHERE key=?", (journal_key(job.new_folder),))
