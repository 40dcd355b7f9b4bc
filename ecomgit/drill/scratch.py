"""Where the drill plays: a scratch clone of the mirror at its last synced state, and an emulator of it.

The user's repository is only read: ``git clone --shared`` into a temporary directory (its commits
stay there), checked out at the newest record. The emulator loads that work tree (the mirror layout
is the emulator's own catalog format), linked to Retail when the mirror's shop is, and a first sync
of the clone from it sets the clone's sync state. Each round of the drill starts again from there:
the clone reset to that sync, its sync state put back, and a new copy of the emulator's shop.

Records the clone makes are sealed with a key made for the drill (``ECOMGIT_SEAL_KEY``, set by
:func:`drill_seal` while the drill runs): no credential of the shop is read (the user's records are
trusted as written, as any command without a secret trusts them), and the clone's records outrank
the user's, as the records of a clone's own writer do.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import secrets
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

from ecomgit import gitrepo, records, seal
from ecomgit.api import ShopClient
from ecomgit.drill.counting import CountingApp
from ecomgit.emulator import EmulatorApp, Shop, load_catalog
from ecomgit.mirror import layout
from ecomgit.newproducts import retail_linked
from ecomgit.shop import Repo
from ecomgit.sync.report import Summary
from ecomgit.sync.run import run_sync

EMULATOR_URL = "http://localhost"  # in-process: the requests never leave this process
STATE_FILES = "sync.db*"


@dataclasses.dataclass
class Round:
    """One round's emulator and client of the scratch mirror."""

    app: EmulatorApp
    counter: CountingApp
    client: ShopClient


class Scratch:
    """The scratch clone (``repo``), its emulator's shop, and the sync that set them up (``baseline``)."""

    def __init__(self, repo: Repo, shop: Shop, baseline: Summary, base: str, saved: Path) -> None:
        self.repo = repo
        self.retail = retail_linked(repo.root, repo.config)
        self._shop = shop
        self.baseline = baseline
        self.base = base
        self._saved = saved

    def fresh(self) -> Round:
        """The clone back at its first sync, and a new emulator of the mirror's shop."""
        gitrepo.run(self.repo.root, "reset", "--quiet", "--hard", self.base)
        gitrepo.run(self.repo.root, "clean", "-fdq", "--", "products", "shop")
        for old in self.repo.work_dir.glob(STATE_FILES):
            old.unlink()
        for kept in self._saved.glob(STATE_FILES):
            shutil.copy2(kept, self.repo.work_dir / kept.name)
        return _round(copy.deepcopy(self._shop), self.repo.config.default_language)


@contextmanager
def scratch(
    source: Repo, last: str, keep: Iterable[int] | None = None, progress: Callable[[str], None] | None = None
) -> Iterator[Scratch]:
    """A scratch clone of ``source`` at commit ``last`` with its emulator, removed afterwards.

    ``keep``: the products the drill needs; the clone's first commit then holds only those (a record
    of a shop that has only them), so the emulator loads and syncs them, not the whole shop."""
    say = progress or (lambda message: None)
    with tempfile.TemporaryDirectory(prefix="ecomgit-drill-") as tmp:
        root = Path(tmp) / "mirror"
        gitrepo.run(source.root, "clone", "--quiet", "--shared", "--no-checkout", str(source.root), str(root))
        gitrepo.run(root, "update-ref", "refs/heads/drill", last)
        gitrepo.run(root, "symbolic-ref", "HEAD", "refs/heads/drill")
        gitrepo.run(root, "read-tree", last)
        _start_afresh(root, None if keep is None else set(keep))
        gitrepo.run(root, "reset", "--quiet", "--hard", "HEAD")
        repo = Repo(root, dataclasses.replace(source.config, heal="review"))  # the drill restores by hand
        say(f"loading the mirror at {last[:10]} into the emulator")
        shop = load_catalog(_materialized(root, "HEAD", Path(tmp) / "catalog"))  # the emulator reads images there
        shop.info.is_retail = retail_linked(root, source.config)
        say(f"syncing the scratch mirror of {len(shop.products)} product(s) from the emulator once")
        first = _round(copy.deepcopy(shop), repo.config.default_language)
        with first.client:
            baseline = run_sync(repo, first.client, allow_mass_delete=True)
        saved = Path(tmp) / "state"
        saved.mkdir()
        for kept in repo.work_dir.glob(STATE_FILES):
            shutil.copy2(kept, saved / kept.name)
        base = gitrepo.head(root)
        assert base is not None
        yield Scratch(repo, shop, baseline, base, saved)


def _start_afresh(root: Path, keep: set[int] | None) -> None:
    """Make HEAD one parentless sync record of the index (without the products not in ``keep``): the
    clone's history starts at the last synced state, so 'lost' finds only what the drill deletes."""
    files = gitrepo.run(root, "ls-files", "-z", "--", f"{layout.PRODUCTS_DIR}/")
    names = {"/".join(name.split("/")[:2]) for name in files.split("\0") if name}
    drop = sorted(n for n in names if keep is not None and layout.folder_product_id(n.split("/")[1]) not in keep)
    if drop:
        pathspecs = "\0".join(drop).encode()
        gitrepo.run(
            root, "rm", "-r", "-q", "--cached", "--pathspec-from-file=-", "--pathspec-file-nul", input=pathspecs
        )
    when = datetime.now(UTC).isoformat(timespec="seconds")
    trailers = "".join(f"{line}\n" for line in records.stamp(root, kind="sync"))
    message = f"Drill: {len(names) - len(drop)} product(s)\n\n{gitrepo.SYNC_TRAILER}: {when}\n{trailers}"
    tree = gitrepo.run(root, "write-tree").strip()
    sha = gitrepo.run(root, *gitrepo.identity_args(root), "commit-tree", tree, input=message.encode()).strip()
    gitrepo.run(root, "update-ref", "HEAD", sha)


def _materialized(root: Path, rev: str, into: Path) -> Path:
    """The products and shop files of ``rev``, written out to ``into`` (which the clone's syncs never touch)."""
    archive = into.with_suffix(".tar")
    gitrepo.run(root, "archive", "--format=tar", "-o", str(archive), rev, "--", "products", "shop")
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return into


def _round(shop: Shop, language: str) -> Round:
    app = EmulatorApp(shop, rate_limit=None)
    counter = CountingApp(app)
    client = ShopClient(EMULATOR_URL, language=language, transport=httpx.WSGITransport(app=counter))
    return Round(app, counter, client)


@contextmanager
def drill_seal() -> Iterator[None]:
    """``ECOMGIT_SEAL_KEY`` set to a key of this drill's own while it runs (then as it was)."""
    before = os.environ.get(seal.ENV)
    os.environ[seal.ENV] = secrets.token_hex(32)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(seal.ENV, None)
        else:
            os.environ[seal.ENV] = before
