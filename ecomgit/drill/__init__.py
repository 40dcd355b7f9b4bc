"""``ecomgit drill``: prove on the user's own mirror that products come back after Retail's actions.

    report = run_drill(Path("."), sample=50, seed=0)
    report.below(1.0)            # the kinds (per action) not restored exactly for every product

The mirror's last synced state is loaded into the emulator in-process (nothing is sent to a real
shop, no credential is read); in a scratch clone (:mod:`ecomgit.drill.scratch`) each of Retail's
three destructive actions is played on the sampled products and they are brought back as the
README tells a user to (:mod:`ecomgit.drill.rounds`); a sync then reads each back and its file is
compared, kind by kind, with the one the mirror held (:mod:`ecomgit.drill.compare`). The user's
repository is only read.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ecomgit import records
from ecomgit.errors import EcomgitError
from ecomgit.mirror import layout
from ecomgit.revisions import Version, codes_of, find_by_text, product_folder_names, versions_at
from ecomgit.shop import open_repo
from ecomgit.write.lookup import resolve_product

from .compare import differences, kinds, related, renamed, retail_left_out
from .report import Report
from .rounds import ACTIONS, Outcome, play_round
from .scratch import Scratch, drill_seal, scratch

__all__ = ["ACTIONS", "DEFAULT_SAMPLE", "Report", "choose", "needed", "run_drill"]

DEFAULT_SAMPLE = 50


def run_drill(
    path: Path,
    *,
    products: Sequence[str] = (),
    sample: int = DEFAULT_SAMPLE,
    seed: int = 0,
    every: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Drill the mirror at ``path``: ``products`` named, else ``every`` one, else a sample (``seed``)."""
    with drill_seal():  # from here on no command reads the shop's credentials to check seals
        return _run(path, products, sample, seed, every, progress or (lambda message: None))


def _run(
    path: Path, products: Sequence[str], sample: int, seed: int, every: bool, say: Callable[[str], None]
) -> Report:
    started = time.monotonic()
    repo = open_repo(path)
    last = records.newest(repo.root)
    if last is None:
        raise EcomgitError("the mirror has no sync yet, so there is nothing to drill; run 'ecomgit sync' first")
    pids = choose(repo.root, last, products, sample, seed, every)
    expected = versions_at(repo.root, last, pids)
    with scratch(repo, last, None if every else needed(repo.root, last, expected), say) as work:
        report = Report(last, pids, work.retail)
        odd = sorted({change.product_id for change in work.baseline.changes} & set(pids))
        if odd:
            report.notes.append(
                f"a first sync from the emulator did not give back the mirror's file of {', '.join(map(str, odd))} "
                "byte for byte (an image the emulator could not serve, say): what differs there differed before "
                "any Retail action"
            )
        for action in ACTIONS:  # related products too are deleted together, as Retail deletes several items
            _score(report, work, action, play_round(work, action, pids, say), expected)
    report.left_to_retail = sorted({k for v in expected.values() for k in retail_left_out(v.product, report.retail)})
    report.seconds = time.monotonic() - started
    return report


def choose(root: Path, last: str, named: Sequence[str], sample: int, seed: int, every: bool) -> list[int]:
    """The products to drill, sorted: those ``named``, all (``every``), or ``sample`` drawn with ``seed``."""
    held = {pid for name in product_folder_names(root, last) if (pid := layout.folder_product_id(name)) is not None}
    if named:
        pids = {resolve_product(root, spec) for spec in named}
        missing = sorted(pids - held)
        if missing:
            raise EcomgitError(
                f"product {missing[0]} is not in the last synced state ({last[:10]}); the drill restores products "
                "the last sync read: name one of those (or run 'ecomgit sync')"
            )
        return sorted(pids)
    if every or sample >= len(held):
        return sorted(held)
    return sorted(random.Random(seed).sample(sorted(held), sample))


def needed(root: Path, last: str, versions: Mapping[int, Version]) -> set[int]:
    """The products a drill of ``versions`` needs in the emulator: those, the products they relate to
    (a relation is restored only to a product the shop has), and every product holding one of their
    codes (so 'lost' and restore see the successors and duplicates the mirror has)."""
    keep = set(versions) | {pid for v in versions.values() for pid in related(v.product)}
    codes = sorted({code for v in versions.values() for code in codes_of(v.product)})
    for batch in range(0, len(codes), 200):
        found = find_by_text(root, last, codes[batch : batch + 200])
        keep |= {v.pid for v in found if codes_of(v.product) & set(codes)}
    return keep


def _score(report: Report, work: Scratch, action: str, outcomes: list[Outcome], expected: dict[int, Version]) -> None:
    root, languages, retail = work.repo.root, work.repo.config.languages, work.retail
    targets = [o.target for o in outcomes if o.target is not None and o.failure is None]
    got = versions_at(root, "HEAD", targets)
    old_ids = {o.target: o.pid for o in outcomes if o.target is not None}
    for outcome in outcomes:
        report.add_outcome(action, outcome)
        version = expected[outcome.pid]
        want = kinds(version, languages, retail=retail)
        back = got.get(outcome.target) if outcome.target is not None and outcome.failure is None else None
        if back is None and outcome.failure is None:
            report.failures.append((action, outcome.pid, f"product {outcome.target} is not in the mirror after a sync"))
        found = (
            differences(outcome.pid, want, renamed(kinds(back, languages, retail=retail), old_ids))
            if back is not None
            else []
        )
        report.differences += [(action, d) for d in found]
        wrong = {d.kind for d in found}
        for kind in want:
            report.count(action, kind, back is not None and kind not in wrong)
