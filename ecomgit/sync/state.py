"""Local sync state in ``.git/ecomgit/sync.db`` (never committed).

Two halves:

- ``products``: what the last *committed* sync saw of each product (its ``updatedAt``, a hash of
  its catalog record, its variants' ``updatedAt``), so unchanged products cost no requests and no
  rewrite;
- ``metafield_checks``: when each product's metafields were last read and a digest of them, so
  a sync can re-read those checked longest ago (metafields have no bulk endpoint, and an edit of
  one may not move the product's ``updatedAt``; see docs/request-economy.md);
- ``journal``: the writes of a push or restore the shop performed (a variant made, an image
  uploaded, deleted or moved), noted the moment the shop answers, until a commit records the
  product; a run after an interrupted one continues from them instead of taking them for shop edits;
- the *staging* tables of the run in progress: rows fetched from the shop, written page by page,
  so an interrupted or rate-limited sync continues where it stopped instead of starting over.

The state is a cache: deleting it costs requests, never data (the mirror is in git). A damaged
file (SQLite's "file is not a database", "database disk image is malformed") is a
:class:`~ecomgit.errors.StateError` naming it, raised by :func:`opened` wherever the damage shows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecomgit import jsonfast
from ecomgit.errors import StateError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL, catalog_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS metafield_checks (
    id INTEGER PRIMARY KEY, checked REAL NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stage_rows (
    kind TEXT NOT NULL, lang TEXT NOT NULL, id INTEGER NOT NULL, owner INTEGER,
    body TEXT NOT NULL, PRIMARY KEY (kind, lang, id));
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, product INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS journal_product ON journal (product, kind, seq);
CREATE TABLE IF NOT EXISTS checked_images (blob TEXT PRIMARY KEY);
DROP INDEX IF EXISTS stage_owner;
-- with ``id`` in it the index serves ``ORDER BY id`` too; without, SQLite scans every row of the
-- kind and language for each owner (measured: 200 s of a 10 000-product first sync)
CREATE INDEX IF NOT EXISTS stage_owner_id ON stage_rows (kind, lang, owner, id);
"""
SCHEMA_VERSION = "2"
STOPPED = "stopped"  # run: why the unfinished sync stopped cleanly (budget, rate or time limit); absent after a crash
FINISHED = "sync_finished"  # meta: "<when the last sync finished here, ISO 8601 UTC> <its commit, or ->"


@dataclass(frozen=True)
class Seen:
    """What the last committed sync saw of one product."""

    updated_at: str
    catalog_hash: str


@dataclass(frozen=True)
class MetafieldCheck:
    """When a committed sync last read one product's metafields (Unix time), and what it read."""

    checked: float
    digest: str


# SQLite errors that mean a bug in ecomgit's own SQL, not a damaged file
_BUGS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.NotSupportedError)


@contextmanager
def opened(path: Path) -> Iterator[State]:
    """The state at ``path``, closed after; a damaged file is a StateError, at open or at any read."""
    try:
        state = State(path)
        try:
            yield state
        finally:
            state.close()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, _BUGS):
            raise
        raise StateError(str(path), str(exc)) from None


class State:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            self._open()
        except BaseException:
            self.db.close()
            raise

    def _open(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA secure_delete=ON")  # a deleted row's bytes are zeroed, on every build of SQLite
        self.db.executescript(SCHEMA)
        if self.get_meta("schema") not in (None, SCHEMA_VERSION):
            self._reset()
        self.set_meta("schema", SCHEMA_VERSION)

    def close(self) -> None:
        self.db.close()

    def _reset(self) -> None:
        """Start over with the current schema (the state is a cache: nothing is lost)."""
        for table in ("meta", "products", "metafield_checks", "run", "stage_rows", "journal", "checked_images"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- stored images found to be images ---------------------------------------------------------
    def checked_images(self) -> set[str]:
        return {str(row[0]) for row in self.db.execute("SELECT blob FROM checked_images")}

    def add_checked_images(self, blobs: Iterable[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO checked_images VALUES (?)", ((blob,) for blob in blobs))

    # -- meta and run markers -------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def run_get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM run WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def run_set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO run VALUES (?, ?)", (key, value))

    def run_active(self) -> bool:
        return self.run_get("started") is not None

    def run_fetched(self) -> bool:
        """Whether the run in progress has read anything from the shop yet."""
        staged = self.db.execute("SELECT 1 FROM stage_rows LIMIT 1").fetchone() is not None
        return staged or self.run_get("shop") is not None

    def clear_run(self) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM run")
            self.db.execute("DELETE FROM stage_rows")

    # -- staging --------------------------------------------------------------------------------
    def stage(self, kind: str, lang: str, rows: Iterable[tuple[int, int | None, Any]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO stage_rows VALUES (?, ?, ?, ?, ?)",
            ((kind, lang, rid, owner, jsonfast.dumps(body).decode()) for rid, owner, body in rows),
        )

    def staged(self, kind: str, lang: str, rid: int) -> Any:
        row = self.db.execute(
            "SELECT body FROM stage_rows WHERE kind=? AND lang=? AND id=?", (kind, lang, rid)
        ).fetchone()
        return None if row is None else jsonfast.loads(row[0])

    def staged_by_owner(self, kind: str, lang: str, owner: int) -> list[Any]:
        rows = self.db.execute(
            "SELECT body FROM stage_rows WHERE kind=? AND lang=? AND owner=? ORDER BY id",
            (kind, lang, owner),
        )
        return [jsonfast.loads(r[0]) for r in rows]

    def count_staged(self, kind: str, lang: str) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM stage_rows WHERE kind=? AND lang=?", (kind, lang)).fetchone()
        return int(row[0])

    def iter_staged(self, kind: str, lang: str) -> Iterator[tuple[int, Any]]:
        cur = self.db.cursor()
        cur.execute("SELECT id, body FROM stage_rows WHERE kind=? AND lang=? ORDER BY id", (kind, lang))
        with closing(cur):
            for rid, body in cur:
                yield int(rid), jsonfast.loads(body)

    # -- what the last committed sync saw -------------------------------------------------------
    def seen(self) -> dict[int, Seen]:
        rows = self.db.execute("SELECT id, updated_at, catalog_hash FROM products")
        return {int(r[0]): Seen(r[1], r[2]) for r in rows}

    def record_seen(self, items: Iterable[tuple[int, Seen | None]]) -> None:
        """Store (or, for None, forget) what a committed sync saw."""
        for pid, seen in items:
            if seen is None:
                self.db.execute("DELETE FROM products WHERE id=?", (pid,))
                self.db.execute("DELETE FROM metafield_checks WHERE id=?", (pid,))
            else:
                self.db.execute(
                    "INSERT OR REPLACE INTO products VALUES (?, ?, ?)", (pid, seen.updated_at, seen.catalog_hash)
                )

    # -- when each product's metafields were last read ------------------------------------------
    def metafield_checks(self) -> dict[int, MetafieldCheck]:
        rows = self.db.execute("SELECT id, checked, digest FROM metafield_checks")
        return {int(r[0]): MetafieldCheck(float(r[1]), str(r[2])) for r in rows}

    def record_metafield_checks(self, items: Iterable[tuple[int, MetafieldCheck]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO metafield_checks VALUES (?, ?, ?)",
            ((pid, check.checked, check.digest) for pid, check in items),
        )

    # -- the journal of writes the shop performed -----------------------------------------------
    def journal(self, product: int, kind: str, body: Any) -> None:
        """Note one write the shop just performed (autocommitted at once: a kill right after keeps it)."""
        self.db.execute(
            "INSERT INTO journal (product, kind, body) VALUES (?, ?, ?)",
            (product, kind, jsonfast.dumps(body).decode()),
        )

    def journaled(self, product: int, kind: str) -> list[Any]:
        rows = self.db.execute("SELECT body FROM journal WHERE product=? AND kind=? ORDER BY seq", (product, kind))
        return [jsonfast.loads(r[0]) for r in rows]

    def forget_journal(self, products: Iterable[int]) -> None:
        """Drop the notes of products a commit now records (their record is the truth from here on)."""
        self.db.executemany("DELETE FROM journal WHERE product=?", ((pid,) for pid in products))
