"""One round of the drill: a Retail action on every sampled product, then recovery the README's way.

The action is played on all the products at once (one sync records every deletion). Recovery
follows what ``ecomgit lost`` tells a user for each product: a successor that holds its codes →
``restore --onto`` it; on a shop linked to Retail with no successor → the item is published to
eCom again from Retail, ``sync``, ``restore --onto auto``; otherwise ``restore`` (re-created).
A last sync reads the restored products back as the shop holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ecomgit.emulator import retail
from ecomgit.emulator.model import PRODUCT_TEXTS, Product, Text
from ecomgit.emulator.store import Shop
from ecomgit.errors import EcomgitError
from ecomgit.lost import Lost, find_lost
from ecomgit.shop import writer
from ecomgit.sync.run import run_sync
from ecomgit.write.apply import HELD_IMAGE, SHARED_IMAGE
from ecomgit.write.fields import Path
from ecomgit.write.restore import apply_restore, plan_restore

from .scratch import Round, Scratch

ACTIONS = {"delete": "Delete from eCom", "merge": "merge", "matrix": "add to matrix"}
Progress = Callable[[str], None]


@dataclass
class Outcome:
    """What became of one product in one round."""

    pid: int
    target: int | None = None  # the product it came back as
    requests: int = 0  # API requests of its restore (plan and apply)
    floor: int = 0  # the restore's minimum: one read of the target, plus the writes it sent
    failure: str | None = None  # why it did not come back at all
    notes: list[str] = field(default_factory=list)


def play_round(work: Scratch, action: str, pids: list[int], say: Progress) -> list[Outcome]:
    """Play ``action`` on ``pids`` in a fresh copy of the shop and bring each back; what became of each."""
    now = work.fresh()
    outcomes = {pid: Outcome(pid) for pid in pids}
    with now.client:
        skus = {pid: [v.sku for v in now.app.shop.products[pid].variants if v.sku] for pid in pids}
        with now.app.lock:
            _play(now.app.shop, action, pids)
        say(f"{ACTIONS[action]}: played on {len(pids)} product(s); syncing")
        _sync(work, now)
        lost = {item.pid: item for item in _lost(work)}
        waiting = [pid for pid in pids if pid in lost and lost[pid].waiting]
        if waiting:
            say(f"{ACTIONS[action]}: Retail publishes {len(waiting)} item(s) to eCom again; syncing")
            _publish(now, waiting, skus, outcomes)
            _sync(work, now)
            lost.update({item.pid: item for item in _lost(work) if item.pid in waiting})
        say(f"{ACTIONS[action]}: restoring {len(pids)} product(s)")
        for pid in pids:
            if outcomes[pid].failure is None:
                _recover(work, now, lost.get(pid), outcomes[pid])
        _sync(work, now)  # the restored products as the shop holds them now
    return list(outcomes.values())


def _play(shop: Shop, action: str, pids: list[int]) -> None:
    if action == "delete":
        for pid in pids:
            retail.delete_from_ecom(shop, pid)
    elif action == "merge":
        into = next((pid for pid in sorted(shop.products) if pid not in pids), None) or _survivor(shop)
        for pid in pids:
            retail.merge(shop, pid, into)
    else:
        for pid in pids:
            retail.add_to_matrix(shop, [pid])  # each item into a new matrix, as Retail usually does


def _survivor(shop: Shop) -> int:
    """A bare product to merge into when every product is in the drill (``--all``)."""
    now = shop.now()
    product = Product(shop.new_id(), now, now, "visible", {})
    for code in shop.language_codes:
        texts: dict[str, Text] = dict.fromkeys(PRODUCT_TEXTS, "")
        texts.update(title="Drill survivor", fulltitle="Drill survivor", url=f"drill-survivor-{product.id}")
        product.texts[code] = texts
    shop.add_product(product)
    return product.id


def _publish(now: Round, waiting: list[int], skus: dict[int, list[str]], outcomes: dict[int, Outcome]) -> None:
    for pid in waiting:
        try:
            with now.app.lock:
                retail.publish(now.app.shop, skus[pid])
        except retail.RetailActionError as exc:
            outcomes[pid].failure = f"Retail cannot publish it again: {exc}"


def _recover(work: Scratch, now: Round, lost: Lost | None, outcome: Outcome) -> None:
    if lost is None:
        outcome.failure = "the sync after the action did not record it as deleted ('ecomgit lost' does not list it)"
        return
    onto: int | str | None = None
    if len(lost.successors) == 1:  # 'ecomgit restore OLD --onto SUCCESSOR', as lost says (after Retail
        onto = lost.successors[0].pid  # published it again: the one product --onto auto would pick)
    elif lost.waiting or lost.successors:
        onto = "auto"  # several holders, or none: restore says which, and the drill names it
    before, writes = now.client.requests, now.counter.writes
    try:
        with writer(work.repo, "restore") as state:
            plan = plan_restore(work.repo, now.client, state, str(outcome.pid), onto=onto, progress=_quiet)
            result = apply_restore(work.repo, now.client, state, plan, progress=_quiet)
    except EcomgitError as exc:
        outcome.failure = f"restore refused: {exc}"
        return
    finally:
        outcome.requests = now.client.requests - before
        outcome.floor = 1 + now.counter.writes - writes
    outcome.target = result.plan.job.target
    job = result.plan.job
    outcome.notes += [f"restore: {job.error}"] if job.error else []
    outcome.notes += [f"restore did not read back: {m}" for m in job.mismatches]
    outcome.notes += _variant_images_left(job.decision.skipped)


def _variant_images_left(skipped: list[tuple[Path, str]]) -> list[str]:
    """Why the restore left variant images unset, counted per reason (the API's limit, not the drill's)."""
    held = sum(1 for path, why in skipped if path[2:] == ("image",) and why.startswith(HELD_IMAGE))
    shared = sum(1 for path, why in skipped if path[2:] == ("image",) and why.startswith(SHARED_IMAGE))
    said = [f"{held} variant image(s) not set: {HELD_IMAGE}"] if held else []
    return said + ([f"{shared} variant image(s) not set: {SHARED_IMAGE}"] if shared else [])


def _lost(work: Scratch) -> list[Lost]:
    return find_lost(work.repo.root, work.repo.config.default_language, retail=work.retail)


def _sync(work: Scratch, now: Round) -> None:
    run_sync(work.repo, now.client, allow_mass_delete=True)


def _quiet(message: str) -> None:
    pass
