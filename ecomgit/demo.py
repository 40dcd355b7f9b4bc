"""``ecomgit demo``: the whole loop on the built-in emulator, step by step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, objects
from ecomgit.emulator import EmulatorApp, running
from ecomgit.emulator.catalogs import build_shop
from ecomgit.init import init_repo
from ecomgit.shop import make_client, open_repo
from ecomgit.sync.report import Summary
from ecomgit.sync.run import run_sync

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
    app = EmulatorApp(build_shop(catalog))
    with running(app) as url:
        say(f"1. Started the eCom emulator with the sample shop at {url}")
        with make_client(url, "nl") as client:
            config = init_repo(path, url, [], client)
            say(f"2. ecomgit init {path}  →  languages {', '.join(config.languages)}")
            repo = open_repo(path)
            first = run_sync(repo, client)
            say(f"3. ecomgit sync  →  {_line(first)}")
            product = _edit_in_shop(client, config.languages)
            say(f"4. Someone edits '{product}' in the back office: English description, an old price")
            second = run_sync(repo, client)
            say(f"5. ecomgit sync  →  {_line(second)}")
            say(_show_last_commit(path))
            third = run_sync(repo, client)
            say(f"6. ecomgit sync again  →  {_line(third)}")
            say("   (a product edited seconds before a sync is read once more by the next one, to catch late edits)")
    say(f"\nThe mirror is in {path.resolve()}\nExplore it: cd {path} && git log --stat && git show HEAD")
    return path


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
    return as_str(first.get("title"))


def _show_last_commit(root: Path) -> str:
    subject = gitrepo.run(root, "log", "-1", "--format=%s").strip()
    stat = gitrepo.run(root, "show", "--stat", "--format=", "HEAD").rstrip("\n").splitlines()
    words = gitrepo.run(root, "show", "--format=", "--word-diff=plain", "--unified=0", "HEAD", "--", "*.yaml")
    changed = [line.strip() for line in words.splitlines() if "{+" in line or "[-" in line]
    return "\n".join(
        [
            f"   git show HEAD: {subject}",
            *("  " + line for line in stat),
            "   in words:",
            *("     " + line for line in changed[:12]),
        ]
    )
