"""``ecomgit demo``: the whole loop on the built-in emulator, step by step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, objects
from ecomgit.diff import diff
from ecomgit.emulator import EmulatorApp, running
from ecomgit.emulator.admin_client import retail
from ecomgit.emulator.catalogs import build_shop
from ecomgit.errors import EcomgitError
from ecomgit.init import init_repo
from ecomgit.lost import find_lost
from ecomgit.shop import Repo, make_client, open_repo, writer
from ecomgit.sync.report import Summary
from ecomgit.sync.run import run_sync
from ecomgit.text import one_line
from ecomgit.write.restore import RestoreResult, apply_restore, plan_restore

Say = Callable[[str], None]


def free_path(path: Path) -> Path:
    """``path`` itself when it is missing or empty, else ``path-2``, ``path-3``, …"""
    candidate, n = path, 1
    while candidate.exists() and any(candidate.iterdir()):
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def run_demo(path: Path, say: Say, catalog: Path | None = None) -> Path:
    """Run the demo into ``path`` (made free first); returns the repository's path."""
    path = free_path(path)
    shop = build_shop(catalog)
    shop.info.is_retail = True  # the story: an eCom shop linked to Lightspeed Retail
    # The demo makes in seconds what a merchant makes over hours: the 5-minute window is doubled
    app = EmulatorApp(shop, rate_limit=(600, 3000, 12000))
    with running(app) as url, make_client(url, "nl") as client:
        say(f"1. Started the eCom emulator with the sample shop (linked to Lightspeed Retail) at {url}")
        config = init_repo(path, url, [], client)
        say(f"2. ecomgit init {path}  →  languages {', '.join(config.languages)}")
        repo = open_repo(path)
        say(f"3. ecomgit sync  →  {_line(run_sync(repo, client))}")
        edited = _edit_in_shop(client, config.languages)
        say(f"4. Someone edits '{edited}' in the back office: English description, an old price")
        say(f"5. ecomgit sync  →  {_line(run_sync(repo, client))}")
        say(_show_commit(path, "HEAD"))
        victim = _pick_victim(client)
        answer = retail(url, "matrix", {"products": [victim.pid], "title": victim.matrix_title})
        matrix = int(answer["product"])
        say(
            f"6. In Lightspeed Retail the item '{victim.title}' is added to a matrix: eCom deletes product "
            f"{victim.pid} with all its content and creates product {matrix} without it"
        )
        say(f"7. ecomgit sync  →  {_line(run_sync(repo, client))}")
        say(_show_lost(path, config.default_language))
        result = _restore(repo, client, victim.pid, matrix)
        job = result.plan.job
        say(
            f"9. ecomgit restore {victim.pid} --onto {matrix} --yes  →  {len(job.change_lines())} change(s) "
            f"written, {len(job.decision.skipped)} left alone, {result.requests} API requests, "
            f"commit {(result.commit or '')[:10]}"
        )
        say(_in_words(path, list(config.languages), job.skipped_lines()))
        say(f"10. ecomgit sync  →  {_line(run_sync(repo, client))}")
        _delete_and_publish(url, repo, client, say, exclude={victim.pid, matrix})
    say(f"\nThe mirror is in {path.resolve()}\nExplore it: cd {path} && git log --stat && git show HEAD")
    say(
        f"Or in a browser, without git: cd {path} && ecomgit web --open  (the catalog, each product's timeline "
        "with the deletion and the restore in words, the lost products)"
    )
    return path


def _delete_and_publish(url: str, repo: Repo, client: ShopClient, say: Say, exclude: set[int]) -> None:
    """The other common case: Delete from eCom with no successor. Re-creating it through the API would
    make a product Retail does not know; the item is published again from Retail, then grafted onto."""
    victim = _pick_victim(client, exclude)
    skus = [as_str(v.get("sku")) for v in client.iter_list("variants", "variants", {"product": victim.pid})]
    retail(url, "delete", {"product": victim.pid})
    say(f"11. In Lightspeed Retail '{victim.title}' gets 'Delete from eCom': eCom deletes product {victim.pid}")
    say(f"12. ecomgit sync  →  {_line(run_sync(repo, client))}")
    try:
        _restore(repo, client, victim.pid, None)
    except EcomgitError as refused:
        say(f"13. ecomgit restore {victim.pid}  →  refused: {str(refused).split('. ')[0]}.")
    answer = retail(url, "publish", {"skus": [sku for sku in skus if sku]})
    published = int(answer["product"])
    say(f"14. In Retail the item is published to eCom again: product {published}, without its eCom content")
    say(f"15. ecomgit sync  →  {_line(run_sync(repo, client))}")
    result = _restore(repo, client, victim.pid, "auto")
    say(
        f"16. ecomgit restore {victim.pid} --onto auto --yes  →  onto product {published}: "
        f"{len(result.plan.job.change_lines())} change(s) written, {result.requests} API requests, "
        f"commit {(result.commit or '')[:10]}"
    )


@dataclass
class _Victim:
    pid: int
    title: str
    matrix_title: str


def _pick_victim(client: ShopClient, exclude: set[int] | None = None) -> _Victim:
    """The product with the most eCom content (longest description and content) among the first page."""
    rows = [
        r
        for r in client.iter_list("catalog", "products", {"limit": 50}, limit=50)
        if r.get("id") not in (exclude or set())
    ]
    best = max(rows[1:] or rows, key=lambda r: len(as_str(r.get("content"))) + len(as_str(r.get("description"))))
    title = one_line(as_str(best.get("title")))
    return _Victim(as_int(best.get("id"), 0), title, f"{title} (matrix)")


def _show_lost(root: Path, language: str) -> str:
    lines = ["8. ecomgit lost"]
    for item in find_lost(root, language):
        lines.append(
            f"     {item.pid} {item.title}: deleted {item.deleted_at[:19]}, last revision {item.last_rev[:10]}"
        )
        lines += [f"       successor? {s.pid} {s.title} (holds {', '.join(s.codes[:3])})" for s in item.successors]
        lines.append(f"       restore: {item.command}")
    return "\n".join(lines)


def _restore(repo: Repo, client: ShopClient, pid: int, onto: int | str | None) -> RestoreResult:
    with writer(repo, "restore") as state:
        plan = plan_restore(repo, client, state, str(pid), onto=onto, progress=lambda message: None)
        return apply_restore(repo, client, state, plan, progress=lambda message: None)


def _line(summary: Summary) -> str:
    commit = f"commit {summary.commit[:10]}" if summary.commit else "no commit (nothing changed)"
    return f"{summary.products} products, {summary.headline()}, {summary.requests} API requests, {commit}"


def _edit_in_shop(client: ShopClient, languages: tuple[str, ...]) -> str:
    """Change one product the way a colleague would in the back office; returns its title."""
    first: dict[str, Any] = next(client.iter_list("catalog", "products", {"limit": 1}, limit=1))
    pid = as_int(first.get("id"))
    english = languages[1] if len(languages) > 1 else languages[0]
    current = client.get_one(f"products/{pid}", "product", {"fields": "description"}, lang=english)
    new_text = as_str(current.get("description")).rstrip() + " Now with free shipping."
    client.put(f"products/{pid}", "product", {"description": new_text}, lang=english)
    variant = objects(first.get("variants"))[0]
    price = variant.get("priceExcl") or 10
    client.put(f"variants/{variant['id']}", "variant", {"oldPriceExcl": round(float(price) * 1.2, 2)})
    return one_line(as_str(first.get("title")))


def _show_commit(root: Path, rev: str, limit: int = 12) -> str:
    subject = gitrepo.run(root, "log", "-1", "--format=%s", rev).strip()
    stat = gitrepo.run(root, "show", "--stat", "--format=", rev).rstrip("\n").splitlines()
    words = gitrepo.run(root, "show", "--format=", "--word-diff=plain", "--unified=0", rev, "--", "*.yaml")
    changed = [_cut(line.strip()) for line in words.splitlines() if "{+" in line or "[-" in line]
    more = [f"     … and {len(changed) - limit} more"] if len(changed) > limit else []
    return "\n".join(
        [
            f"   git show {rev}: {subject}",
            *("  " + line for line in stat),
            "   in words:",
            *("     " + line for line in changed[:limit]),
            *more,
        ]
    )


def _in_words(root: Path, languages: list[str], left: list[str], limit: int = 12) -> str:
    """``ecomgit diff`` of the restore commit, and what the restore left alone."""
    lines = [line for item in diff(root, "HEAD^", "HEAD", languages) for line in item.lines()]
    out = ["   ecomgit diff  (what came back, in words)"]
    out += [f"     {_cut(line)}" for line in lines[:limit]]
    if len(lines) > limit:
        out.append(f"     … and {len(lines) - limit} more lines (run 'ecomgit diff' in the repository)")
    out.append("   left alone:")
    out += [f"     {_cut(line)}" for line in left[:4]]
    if len(left) > 4:
        out.append(f"     … and {len(left) - 4} more")
    return "\n".join(out)


def _cut(line: str, width: int = 110) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
