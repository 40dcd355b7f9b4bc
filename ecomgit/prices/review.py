"""``ecomgit check --prices``: a proposed change (the work tree, holding a branch's commits) that sets
or raises an old price above the lowest price of the window, judged against the default branch.

The change is compared with where it forked from the base (``git merge-base``), so what the base
did meanwhile is not taken for the change's. The prices applied are the base's captures; the
proposed prices are taken as a capture made ``now`` (the moment the shop would show them), and
the same rule as ``ecomgit prices`` is asked of it: a reduction already running on the base keeps
its start (raising its old price is judged against the window before that start), a new one
starts now.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ecomgit import branches, gitrepo
from ecomgit.config import PriceRules
from ecomgit.errors import EcomgitError, MirrorFileError
from ecomgit.mirror import layout, safety
from ecomgit.prices.parse import ProductPrices, VariantPrices, parse_product
from ecomgit.prices.reading import Capture, Point, VariantHistory, read_history
from ecomgit.prices.rule import Row, announces, assess_variant, compared, excluded_by

PROPOSED = "(proposed)"


@dataclass
class Finding:
    file: str  # the product file, relative to the repository
    line: int | None  # its old price's line
    before: Decimal | None  # the old price where the change forked from the base
    row: Row

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "oldPriceBefore": _num(self.before), **self.row.to_json()}


@dataclass
class Review:
    base: str  # the base as given (a branch name or a commit)
    fork: str  # the commit the change is compared with
    findings: list[Finding]  # every old price set or raised, flagged or not

    @property
    def flagged(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.row.flagged]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def review(root: Path, rules: PriceRules, base: str | None, now: int) -> Review:
    """The old prices the work tree sets or raises against ``base`` (default: the default branch)."""
    name, base_commit = _base(root, base)
    head = gitrepo.head(root)
    fork = gitrepo.run(root, "merge-base", base_commit, head, check=False).strip() if head else ""
    fork = fork or base_commit
    changed = _changed_files(root, fork)
    pids = {pid for pid, _ in changed.values()}
    history = read_history(root, rev=base_commit, pids=pids)
    captures = [*history.captures, Capture(PROPOSED, now, "proposed")]
    times = [capture.time for capture in captures]
    earlier_files = gitrepo.blobs(root, {path: f"{fork}:{path}" for path in changed})
    findings: list[Finding] = []
    for path, (pid, text) in sorted(changed.items()):
        before = _before(earlier_files.get(path))
        product = parse_product(text)
        for variant in product.variants:
            old = compared(variant, rules.basis)[1]
            earlier = before.get(variant.vid)
            was = compared(earlier, rules.basis)[1] if announces(earlier, rules.basis) else None
            if not announces(variant, rules.basis) or (was is not None and old is not None and old <= was):
                continue
            past = history.variants.get((pid, variant.vid)) or VariantHistory(pid, variant.vid)
            proposed = dataclasses.replace(past, points=[*past.points, Point(len(captures) - 1, variant)])
            proposed.codes, proposed.title, proposed.categories = variant.codes(), product.title, product.categories
            if excluded_by(proposed, rules):
                continue
            row = assess_variant(proposed, captures, times, rules)
            findings.append(Finding(path, _line(text, variant.vid, rules.basis), was, row))
    return Review(name, fork, findings)


def _base(root: Path, base: str | None) -> tuple[str, str]:
    names = [base] if base else [name for b in [branches.default_branch(root)] if b for name in (b, f"origin/{b}")]
    for name in names:
        commit = gitrepo.run(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False).strip()
        if commit:
            return name, commit
    raise EcomgitError(
        f"no base to compare with ({base or 'the default branch'} names no commit); give it with --base REV, e.g. "
        "--base main or the pull request's base commit"
    )


def _changed_files(root: Path, fork: str) -> dict[str, tuple[int, str]]:
    """Product files of the work tree that differ from ``fork``: path → (product id, text)."""
    out = gitrepo.run(root, "diff", "--name-only", "--no-renames", "-z", fork, "--", f"{layout.PRODUCTS_DIR}/")
    found: dict[str, tuple[int, str]] = {}
    for path in out.split("\0"):
        parts = path.split("/")
        pid = layout.folder_product_id(parts[1]) if len(parts) == 3 and parts[2] == layout.PRODUCT_FILE else None
        file = root / path
        if pid is None or not file.is_file():
            continue
        try:
            safety.guard(root, file)
        except MirrorFileError:
            continue  # a link: 'ecomgit check' reports it; never read through one
        found[path] = (pid, file.read_text(encoding="utf-8", errors="replace"))
    return found


def _before(data: bytes | None) -> dict[int, VariantPrices]:
    product = parse_product(data.decode("utf-8", "replace")) if data else ProductPrices("", (), ())
    return {variant.vid: variant for variant in product.variants}


def _line(text: str, vid: int, basis: str) -> int | None:
    """The line of variant ``vid``'s compared old price in ``text``."""
    key = "  oldPriceIncl:" if basis == "incl" else "  oldPriceExcl:"
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("- id:"):
            inside = line[5:].strip() == str(vid)
        elif inside and line.startswith(key):
            return number
    return None
