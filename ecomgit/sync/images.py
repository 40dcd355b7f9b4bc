"""Image files of a product folder: keep what is there, rename what moved, download what is new.

A download that fails (the CDN refuses or no longer serves the file, the connection drops, the
``src`` is not on the shop's CDN, the body passes the size cap) does not stop the run: the
:class:`Downloader` notes it as :class:`~ecomgit.sync.unfetched.Unfetched`, and
:func:`~ecomgit.sync.unfetched.leave_out` takes the image out of its product file afterwards.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ecomgit.api import ShopClient
from ecomgit.api.cdn import DEFAULT_LIMIT
from ecomgit.errors import ApiError
from ecomgit.mirror import files, owned, safety
from ecomgit.mirror.imagedecode import decode_problem
from ecomgit.sync.assemble import ImagePlan
from ecomgit.sync.unfetched import Unfetched, unfetched

NOT_AN_IMAGE = "the CDN answered with bytes that are not an image"
DOWNLOAD_WORKERS = 4  # measured: 4 beat 8 on 2 cores (fewer threads contending for the GIL with the writer)
CHUNK = 8  # downloads per task
BATCH = 256  # downloads between waits


def apply_images(folder: Path, plans: Sequence[ImagePlan], old: Mapping[int, str], downloads: Downloader) -> bool:
    """Make ``folder`` hold exactly the planned files, beside any a person put there; True when
    anything changed.

    ``old`` maps the file ids of the images the folder held to their file names. A file whose id
    is unchanged is kept (renamed when its position changed); a new id is downloaded, also when a
    file of the same name holds an older image.
    """
    safety.not_links(folder.parent, folder)  # callers guard the whole path; never list or delete through one
    existing = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    moves: dict[str, str] = {}
    fetches: list[ImagePlan] = []
    for plan in plans:
        old_name = old.get(plan.file_id) if plan.file_id is not None else None
        if plan.file in existing and (old_name == plan.file or plan.named_by_id) and _an_image(folder / plan.file):
            continue
        if old_name is not None and old_name in existing and old_name != plan.file and _an_image(folder / old_name):
            moves[plan.file] = old_name
        else:
            fetches.append(plan)
    _move(folder, moves)
    for plan in fetches:
        downloads.fetch(plan.src, folder / plan.file, plan.file_id)
    wanted = {plan.file for plan in plans}
    stale = [name for name in existing - wanted if (folder / name).is_file()]
    if stale:  # only what ecomgit wrote: a person's master.psd beside it stays
        stale = sorted(set(stale) & owned.owned_images(folder, old.values()))
    for name in stale:
        (folder / name).unlink()
    return bool(moves or fetches or stale)


def _an_image(path: Path) -> bool:
    """Whether a stored image file holds an image: one that does not (a CDN's error page stored by an
    older version) is downloaded again."""
    try:
        return decode_problem(path.name, path.read_bytes(), full=False) is None
    except OSError:
        return False


def _move(folder: Path, moves: Mapping[str, str]) -> None:
    """Rename files (new name → old name) through a side folder, so swaps never collide."""
    if not moves:
        return
    side = folder / ".moving"
    shutil.rmtree(side, ignore_errors=True)
    side.mkdir()
    for old_name in set(moves.values()):
        (folder / old_name).rename(side / old_name)
    for new_name, old_name in moves.items():
        files.write_bytes(folder / new_name, (side / old_name).read_bytes())  # a new file, never written into
    shutil.rmtree(side)


class Downloader:
    """Image bytes from the CDN: concurrent (bounded), each file id fetched once per batch.

    Downloads are handed to the threads ``CHUNK`` at a time (fewer hand-offs between threads),
    and waited for every ``BATCH``; each thread writes the files it downloaded.
    """

    def __init__(self, client: ShopClient, *, limit: int = DEFAULT_LIMIT) -> None:
        self.client = client
        self.limit = limit  # bytes per image
        self.failed: list[Unfetched] = []  # downloads that failed, in the order they were waited for
        self._failed_lock = threading.Lock()
        self.pool = ThreadPoolExecutor(DOWNLOAD_WORKERS, thread_name_prefix="ecomgit-image")
        self.futures: list[Future[None]] = []
        self.queued: list[tuple[str, Path, int | None]] = []
        self.first: dict[int, Path] = {}
        self.copies: list[tuple[Path, Path]] = []
        self.count = 0

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def fetch(self, url: str, path: Path, file_id: int | None) -> None:
        """Download ``url`` to ``path`` (or copy it from this batch's download of the same file)."""
        if file_id is not None and file_id in self.first:
            self.copies.append((self.first[file_id], path))
            return
        if file_id is not None:
            self.first[file_id] = path
        self.count += 1
        self.queued.append((url, path, file_id))
        if len(self.queued) >= CHUNK:
            self._hand_over()
        if len(self.futures) * CHUNK >= BATCH:
            self.wait()

    def _hand_over(self) -> None:
        if self.queued:
            self.futures.append(self.pool.submit(self._download, self.queued))
            self.queued = []

    def _download(self, chunk: list[tuple[str, Path, int | None]]) -> None:
        for url, path, file_id in chunk:
            try:
                data = self.client.download(url, limit=self.limit)
            except ApiError as exc:
                path.unlink(missing_ok=True)  # an older image of the same name is not this one
                with self._failed_lock:
                    self.failed.append(unfetched(path, file_id, exc))
                continue
            if decode_problem(path.name, data, full=False) is not None:  # a 200 with an error page, say
                path.unlink(missing_ok=True)
                with self._failed_lock:
                    self.failed.append(Unfetched(path, file_id, NOT_AN_IMAGE))
                continue
            files.write_bytes(path, data)

    @property
    def fetched(self) -> int:
        """Images downloaded (those that failed not counted)."""
        return self.count - len(self.failed)

    def wait(self) -> None:
        self._hand_over()
        futures, self.futures = self.futures, []
        for future in futures:
            future.result()
        failed = {item.path: item for item in self.failed}
        for source, target in self.copies:
            if source in failed:  # the same file for another name: failed with it
                target.unlink(missing_ok=True)
                self.failed.append(Unfetched(target, failed[source].file_id, failed[source].reason))
                continue
            files.write_bytes(target, source.read_bytes())  # a new file: an older one there may be a hard link
        self.copies.clear()
        self.first.clear()
