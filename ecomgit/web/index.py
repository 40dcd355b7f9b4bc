"""The web view's cache: the catalog at HEAD and the commits that touched each product, in sqlite
under ``.git/ecomgit/web.sqlite``.

Built once in one pass over history (``git log --name-only`` over ``products/``, one ``ls-tree`` and
one ``cat-file --batch`` for the files at HEAD), then brought up to date incrementally: when HEAD
moves forward, only the commits since and the product files that differ are read again. HEAD moved
anywhere else (a reset, another branch checked out) rebuilds it.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecomgit import commits, gitrepo
from ecomgit.diff import FieldChange
from ecomgit.errors import MirrorError
from ecomgit.history import commit_kind
from ecomgit.mirror import layout, yamlio
from ecomgit.revisions import Deletion
from ecomgit.web.timeline import Step

SCHEMA = 4
_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    pid INTEGER PRIMARY KEY, folder TEXT NOT NULL, titles TEXT NOT NULL, skus TEXT NOT NULL,
    search TEXT NOT NULL, thumb TEXT, last_sha TEXT, last_date TEXT
);
CREATE TABLE IF NOT EXISTS touches (pid INTEGER NOT NULL, sha TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL,
    subject TEXT NOT NULL, PRIMARY KEY (pid, sha));
CREATE TABLE IF NOT EXISTS folders (pid INTEGER NOT NULL, folder TEXT NOT NULL, PRIMARY KEY (pid, folder));
CREATE TABLE IF NOT EXISTS steps (pid INTEGER NOT NULL, sha TEXT NOT NULL, step TEXT NOT NULL, PRIMARY KEY (pid, sha));
CREATE TABLE IF NOT EXISTS deletions (pid INTEGER PRIMARY KEY, folder TEXT NOT NULL, sha TEXT NOT NULL,
    date TEXT NOT NULL, last_rev TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS touches_by_date ON touches (pid, date);
CREATE INDEX IF NOT EXISTS products_by_date ON products (last_date);
"""
_PRODUCT_DIR = re.compile(r"products/([^/]+)/")
_DELETED = re.compile(rf"^D\t{layout.PRODUCTS_DIR}/([^/\n]+)/{re.escape(layout.PRODUCT_FILE)}$", re.MULTILINE)


@dataclass
class Row:
    pid: int
    folder: str
    titles: dict[str, str]
    skus: list[str]
    thumb: str | None
    last_sha: str | None
    last_date: str | None

    def title(self, language: str) -> str:
        return self.titles.get(language) or next(iter(self.titles.values()), "") or f"product {self.pid}"


@dataclass
class Touch:
    sha: str
    date: str
    kind: str
    subject: str


class Index:
    """The cache of one mirror; :meth:`refresh` before reading (cheap when HEAD has not moved)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        folder = gitrepo.git_dir(root) / "ecomgit"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "web.sqlite"
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # a cache: a power cut may lose its last update, never corrupt it
        self.db.executescript(_SCHEMA_SQL)

    def close(self) -> None:
        self.db.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def refresh(self) -> str | None:
        """Bring the cache to HEAD; returns the commit it now describes (None: no commit yet)."""
        head = gitrepo.head(self.root)
        with self._lock:
            indexed = self.meta("head")
            if head == indexed and self.meta("schema") == str(SCHEMA):
                return head
            if head is None:
                return None
            if indexed and self.meta("schema") == str(SCHEMA) and _is_ancestor(self.root, indexed, head):
                self._update(indexed, head)
            else:
                self._build(head)
            _write_commit_graph(self.root)
            return head

    def _build(self, head: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM products")
            db.execute("DELETE FROM touches")
            db.execute("DELETE FROM folders")
            db.execute("DELETE FROM deletions")
            db.execute("DELETE FROM steps")  # kept across rebuilds but not across schemas: simplest, both
            self._add_touches(db, head)
            self._write_products(db, head, list(commits.products(self.root, head)))
            self._set_head(db, head)

    def _update(self, old: str, head: str) -> None:
        out = gitrepo.run(self.root, "diff", "--name-only", "--no-renames", old, head, "--", str(layout.PRODUCTS_DIR))
        folders = {m[1] for m in _PRODUCT_DIR.finditer(out)}
        with self._transaction() as db:
            self._add_touches(db, f"{old}..{head}")
            gone = [f for f in folders if f not in commits.products(self.root, head)]
            db.executemany("DELETE FROM products WHERE folder = ?", [(f,) for f in gone])
            self._write_products(db, head, sorted(folders - set(gone)))
            self._set_head(db, head)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _set_head(self, db: sqlite3.Connection, head: str) -> None:
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("head", head), ("schema", str(SCHEMA))])

    def _add_touches(self, db: sqlite3.Connection, revs: str) -> None:
        """The commits in ``revs`` that touched products, the folders they had, and the products
        whose file a commit removed (as :func:`ecomgit.revisions.deletions` finds them: the newest
        removal of each, with the commit before it)."""
        fmt = "%x1e%H%x1f%P%x1f%cI%x1f%s%x1f%B%x1f"
        rows = []
        folders: set[tuple[int, str]] = set()
        deleted: dict[int, tuple[int, str, str, str, str]] = {}
        out = gitrepo.run(
            self.root, "log", f"--format={fmt}", "--name-status", "--no-renames", revs, "--", f"{layout.PRODUCTS_DIR}/"
        )
        for record in out.split("\x1e")[1:]:
            sha, parents, date, subject, body, names = record.split("\x1f")
            kind = commit_kind(body)
            named = {m[1]: layout.folder_product_id(m[1]) for m in _PRODUCT_DIR.finditer(names)}
            folders.update((pid, name) for name, pid in named.items() if pid is not None)
            rows += [(pid, sha, date, kind, subject) for pid in set(named.values()) if pid is not None]
            first = parents.split()[0] if parents.split() else None
            for m in _DELETED.finditer(names) if first else ():
                pid = layout.folder_product_id(m[1])
                if pid is not None and pid not in deleted:
                    deleted[pid] = (pid, m[1], sha, date, first or "")
        db.executemany("INSERT OR IGNORE INTO touches VALUES (?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT OR IGNORE INTO folders VALUES (?, ?)", sorted(folders))
        seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM deletions").fetchone()[0]) + len(deleted)
        db.executemany(  # newest first in the log: the highest sequence number, newer than the last update's
            "INSERT OR REPLACE INTO deletions VALUES (?, ?, ?, ?, ?, ?)",
            [(*row, seq - n) for n, row in enumerate(deleted.values())],
        )

    def _write_products(self, db: sqlite3.Connection, head: str, folders: list[str]) -> None:
        listing = commits.products(self.root, head)
        entries = [listing[f] for f in folders if f in listing and listing[f].product_blob]
        for start in range(0, len(entries), 500):
            batch = entries[start : start + 500]
            data = gitrepo.blobs(self.root, {e.name: e.product_blob for e in batch if e.product_blob})
            rows = []
            for entry in batch:
                pid = layout.folder_product_id(entry.name)
                raw = data.get(entry.name)
                if pid is None or raw is None:
                    continue
                titles, codes, slugs = read_fields(raw.decode("utf-8", "replace"), entry.name)
                skus = sorted(set(codes["sku"]) | set(codes["articleCode"]))
                words = [str(pid), *titles.values(), *skus, *codes["ean"], *slugs, entry.name]
                rows.append((pid, entry.name, json.dumps(titles), json.dumps(skus), "\n".join(words).casefold(),
                             min(entry.images, default=None)))  # fmt: skip
            db.executemany(
                "INSERT INTO products (pid, folder, titles, skus, search, thumb) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (pid) DO UPDATE SET folder = excluded.folder, titles = excluded.titles, "
                "skus = excluded.skus, search = excluded.search, thumb = excluded.thumb",
                rows,
            )
        db.execute(
            "UPDATE products SET (last_sha, last_date) = (SELECT sha, date FROM touches t WHERE t.pid = products.pid "
            "ORDER BY date DESC LIMIT 1) WHERE pid IN (SELECT pid FROM products WHERE folder IN (SELECT value FROM "
            "json_each(?)))",
            (json.dumps(folders),),
        )

    # reading

    def search(
        self,
        text: str = "",
        *,
        since: str | None = None,
        only: set[int] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Row], int]:
        """The products matching ``text`` (title, id, SKU, EAN, slug; every word), changed since ``since``
        and among ``only``, by id; and how many match in all."""
        where, args = [], []
        for word in text.casefold().split():
            where.append("instr(search, ?) > 0")
            args.append(word)
        if since:
            where.append("last_date >= ?")
            args.append(since)
        if only is not None:
            where.append("pid IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted(only)))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = self.db.execute(f"SELECT count(*) FROM products {clause}", args).fetchone()[0]
        rows = self.db.execute(
            f"SELECT pid, folder, titles, skus, thumb, last_sha, last_date FROM products {clause} "
            "ORDER BY pid LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return [_row(r) for r in rows], int(total)

    def product(self, pid: int) -> Row | None:
        found = self.db.execute(
            "SELECT pid, folder, titles, skus, thumb, last_sha, last_date FROM products WHERE pid = ?", (pid,)
        ).fetchone()
        return _row(found) if found else None

    def folders(self, pid: int) -> list[str]:
        """Every folder product ``pid`` has had in history (its renames)."""
        return [r[0] for r in self.db.execute("SELECT folder FROM folders WHERE pid = ? ORDER BY folder", (pid,))]

    def steps(self, pid: int) -> dict[str, Step]:
        """The timeline steps of product ``pid`` compared before, by commit."""
        rows = self.db.execute("SELECT sha, step FROM steps WHERE pid = ?", (pid,)).fetchall()
        return {sha: _step(text) for sha, text in rows}

    def keep_steps(self, pid: int, steps: list[Step]) -> None:
        rows = [(pid, step.commit, _step_json(step)) for step in steps if step.problem is None]
        with self._lock, self._transaction() as db:  # one commit, not one a row
            db.executemany("INSERT OR IGNORE INTO steps VALUES (?, ?, ?)", rows)

    def deletions(self) -> list[Deletion]:
        """:func:`ecomgit.revisions.deletions` at the indexed HEAD, from the index (newest first)."""
        rows = self.db.execute("SELECT pid, folder, sha, date, last_rev FROM deletions ORDER BY seq DESC").fetchall()
        return [Deletion(*row) for row in rows]

    def touches(self, pid: int, limit: int = 50, offset: int = 0) -> tuple[list[Touch], int]:
        total = self.db.execute("SELECT count(*) FROM touches WHERE pid = ?", (pid,)).fetchone()[0]
        rows = self.db.execute(
            "SELECT sha, date, kind, subject FROM touches WHERE pid = ? "
            "ORDER BY date DESC, rowid DESC LIMIT ? OFFSET ?",
            (pid, limit, offset),
        ).fetchall()
        return [Touch(*r) for r in rows], int(total)


def _step_json(step: Step) -> str:
    return json.dumps({**vars(step), "changes": [vars(change) for change in step.changes]}, default=str)


def _step(text: str) -> Step:
    data = json.loads(text)
    changes = [
        FieldChange(
            c["field"],
            c["old"],
            c["new"],
            c["words"],
            [(kind, words) for kind, words in c["segments"]] if c["segments"] is not None else None,
            c["rewritten"],
        )  # fmt: skip
        for c in data.pop("changes")
    ]
    return Step(**data, changes=changes)


def _row(r: tuple[Any, ...]) -> Row:
    return Row(r[0], r[1], json.loads(r[2]), json.loads(r[3]), r[4], r[5], r[6])


def _write_commit_graph(root: Path) -> None:
    """Git's own cache of the history, with which paths each commit changed (Bloom filters), so a
    timeline's ``git log -- FOLDER`` skips the commits that did not touch it without reading their
    trees: half the time of a 500-commit walk over 10 000 products. Derived data git checks before use
    and ``git gc`` writes too; a new layer per refresh (``--split``); a failure costs only speed."""
    gitrepo.run(root, "commit-graph", "write", "--reachable", "--changed-paths", "--split", check=False)


def _is_ancestor(root: Path, old: str, new: str) -> bool:
    """Whether commit ``old`` is in ``new``'s history (then the index moves forward incrementally)."""
    base = gitrepo.run(root, "merge-base", old, new, check=False).strip()
    return base == old


_SECTION = re.compile(r"^([A-Za-z]\w*):(.*)$", re.MULTILINE)
_CODE = re.compile(r"^  (sku|ean|articleCode): (.+)$", re.MULTILINE)
_LANG = re.compile(r"^  ([a-z]{2}(?:-[a-z]+)?): (.*)$", re.MULTILINE)


def read_fields(text: str, where: str) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """A product file's titles (language → title), codes (sku, ean, articleCode → values) and slugs:
    read from the canonical form without building the product (10 000 files in seconds), the whole
    file parsed only where a value is not plain."""
    sections: dict[str, str] = {}
    heads = list(_SECTION.finditer(text))
    for n, head in enumerate(heads):
        sections[head[1]] = text[head.end() : heads[n + 1].start() if n + 1 < len(heads) else len(text)]
    titles = {m[1]: m[2] for m in _LANG.finditer(sections.get("title", ""))}
    slugs = [m[2] for m in _LANG.finditer(sections.get("url", ""))]
    codes: dict[str, list[str]] = {"sku": [], "ean": [], "articleCode": []}
    for m in _CODE.finditer(sections.get("variants", "")):
        codes[m[1]].append(m[2])
    values = [*titles.values(), *slugs, *(v for vs in codes.values() for v in vs)]
    if not titles or any(v[:1] in "'\"|>!&*[{" or " #" in v for v in values):
        return _parsed(text, where)
    return titles, {k: [v for v in vs if v != "null"] for k, vs in codes.items()}, slugs


def _parsed(text: str, where: str) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    try:
        product = yamlio.load(text, where)
    except MirrorError:
        return {}, {"sku": [], "ean": [], "articleCode": []}, []
    if not isinstance(product, dict):
        return {}, {"sku": [], "ean": [], "articleCode": []}, []

    def texts(value: Any) -> dict[str, str]:
        return {str(k): str(v) for k, v in value.items() if v is not None} if isinstance(value, dict) else {}

    variants = [v for v in product.get("variants") or [] if isinstance(v, dict)]
    codes = {
        key: [str(v[key]) for v in variants if v.get(key) not in (None, "")] for key in ("sku", "ean", "articleCode")
    }
    return texts(product.get("title")), codes, list(texts(product.get("url")).values())
