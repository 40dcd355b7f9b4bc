"""SEO continuity: a restored product's old address keeps working (301 to where it lives now).

When a restore grafts a lost product onto its successor, the product's old page address no longer
resolves unless the successor took over its slug: a second product grafted onto the same
successor (its slug did not win), or a successor whose own slug the graft replaced. Each such
address, per language, gets a permanent redirect to the successor's final address, through the
shop's ``/redirects.json`` (``url`` the old path, ``target`` the new one). A restore that makes the
product anew gives it its old slug, so nothing needs redirecting unless the shop had to change it.

Addresses are written as paths: ``/{slug}.html`` in the default language and ``/{lang}/{slug}.html``
in the others, the way eCom (C-Series) shops address product pages [I: inferred from shop pages,
not stated by the API documentation]. A redirect the shop already has for an address is left as it
is (a restore run again makes none twice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.api.values import as_str
from ecomgit.write.fields import Decision, Path


@dataclass(frozen=True)
class Redirect:
    url: str  # the old path
    target: str  # the path it goes to now

    def line(self) -> str:
        return f"redirect {self.url} → {self.target} (301)"


def page(slug: str, lang: str, default: str) -> str:
    return f"/{slug}.html" if lang == default else f"/{lang}/{slug}.html"


def planned(
    lost: Mapping[str, Any], decision: Decision, theirs: Mapping[Path, Any], languages: Sequence[str]
) -> list[Redirect]:
    """The redirects a graft needs: the lost product's address and the successor's own, per language,
    where the successor's final slug (after ``decision``) is another."""
    urls = lost.get("url") if isinstance(lost.get("url"), Mapping) else {}
    before = {lang: as_str(theirs.get(("url", lang))) for lang in languages}
    final = {lang: as_str(decision.changes.get(("url", lang), theirs.get(("url", lang)))) for lang in languages}
    return between([urls or {}, before], final, languages)


def between(olds: Sequence[Mapping[str, Any]], final: Mapping[str, Any], languages: Sequence[str]) -> list[Redirect]:
    """A redirect from each of the slugs ``olds`` (per language) that is not the ``final`` one."""
    default, out = languages[0], list[Redirect]()
    for lang in languages:
        now = as_str(final.get(lang))
        if not now:
            continue
        for slugs in olds:
            old = as_str(slugs.get(lang))
            if old and old != now and all(r.url != page(old, lang, default) for r in out):
                out.append(Redirect(page(old, lang, default), page(now, lang, default)))
    return out


def trailer(pid: int, redirect: Redirect) -> str:
    """The commit trailer that carries a redirect to be made once product ``pid`` is pushed."""
    return f"{gitrepo.REDIRECT_TRAILER}: {pid} {redirect.url} -> {redirect.target}"


def proposed(root: FsPath) -> list[tuple[int, Redirect]]:
    """The redirects merged proposals ask for, not made yet: the trailers of the commits since the
    newest record, and those the newest record carried over (its product was not pushed then)."""
    newest = records.newest(root)
    if newest is None:
        return []
    fmt = f"--format=%(trailers:key={gitrepo.REDIRECT_TRAILER},valueonly,separator=%x00)%x00"
    out = gitrepo.run(root, "log", "-1", fmt, newest) + gitrepo.run(root, "log", fmt, f"{newest}..HEAD")
    found: list[tuple[int, Redirect]] = []
    for value in (v.strip() for v in out.split("\0")):
        pid, _, rest = value.partition(" ")
        url, _, target = rest.partition(" -> ")
        if pid.isdigit() and url.startswith("/") and target and (int(pid), Redirect(url, target)) not in found:
            found.append((int(pid), Redirect(url, target)))
    return found


def create(client: ShopClient, wanted: Sequence[Redirect]) -> list[str]:
    """Create each redirect the shop does not have yet; what happened, in lines for the record."""
    if not wanted:
        return []
    existing = {as_str(row.get("url")) for row in client.iter_list("redirects", "redirects")}
    lines = []
    for redirect in wanted:
        if redirect.url in existing:
            lines.append(f"{redirect.line()}: the shop has a redirect of {redirect.url} already; left as it is")
            continue
        client.post("redirects", "redirect", {"url": redirect.url, "target": redirect.target, "isPermanent": True})
        lines.append(redirect.line())
    return lines
