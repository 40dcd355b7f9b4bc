"""``ecomgit init``: create or adopt a git repository for one shop."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ecomgit import ci, gitrepo
from ecomgit import config as config_mod
from ecomgit.api import ShopClient
from ecomgit.api.values import as_bool, as_str
from ecomgit.config import Config
from ecomgit.errors import ConfigError, NotFoundError
from ecomgit.install_spec import package_spec
from ecomgit.mirror import layout

# Language segments tried, in order, to discover a shop's languages when none is given.
PROBE_LANGUAGES = ("en", "nl", "us", "de", "fr", "es", "it")
GITIGNORE = "# ecomgit keeps its local state in .git/ecomgit, never in the work tree.\n*.tmp\n"


def shop_languages(client: ShopClient, hint: Sequence[str] = ()) -> list[str]:
    """The shop's active language codes, default language first."""
    last_error: NotFoundError | None = None
    for code in [*hint, *PROBE_LANGUAGES]:
        try:
            rows = list(client.iter_list("languages", "languages", lang=code))
        except NotFoundError as exc:
            last_error = exc
            continue
        active = [r for r in rows if r.get("isActive", True) is not False]
        active.sort(key=lambda r: not as_bool(r.get("isDefault")))
        return [as_str(r.get("code")) for r in active]
    raise ConfigError(f"could not find the shop's languages ({last_error}); pass --language CODE")


def init_repo(
    path: Path,
    api_url: str,
    languages: Sequence[str],
    client: ShopClient,
    *,
    ci_name: str | None = None,
    lfs: bool = False,
    package: str | None = None,
    schedule: ci.Schedule | None = None,
) -> Config:
    """Create (or adopt) the repository at ``path`` and write its config; returns the config."""
    gitrepo.init(path)
    if (path / layout.CONFIG_FILE).exists():
        raise ConfigError(f"{path} is already an ecomgit repository ({layout.CONFIG_FILE} exists)")
    found = shop_languages(client, languages)
    chosen = list(languages) if languages else found
    unknown = [code for code in chosen if code not in found]
    if unknown:
        raise ConfigError(f"language(s) {', '.join(unknown)} are not active in the shop (active: {', '.join(found)})")
    config = Config(api_url=api_url.rstrip("/"), languages=tuple(chosen))
    config_mod.save(path, config)
    gitignore = path / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
    extras = add_extras(path, ci_name, lfs, package, schedule)
    gitrepo.stage(path, [str(layout.CONFIG_FILE), ".gitignore", *(w.path for w in extras)])
    if gitrepo.has_staged_changes(path):
        gitrepo.commit(path, f"ecomgit init: {api_url} ({', '.join(chosen)})\n")
    return config


def set_up_existing(
    path: Path, ci_name: str | None, lfs: bool, package: str | None = None, schedule: ci.Schedule | None = None
) -> list[ci.Written]:
    """In a clone of a mirror (or to add CI or LFS later): local git settings, and the files asked
    for, committed. Returns the files written or found."""
    extras = add_extras(path, ci_name, lfs, package, schedule)
    created = [w.path for w in extras if w.created or w.changes]
    if created:
        gitrepo.stage(path, created)
        if gitrepo.has_staged_changes(path):
            parts = [f"{ci_name} workflows" if ci_name else "", "Git LFS for images" if lfs else ""]
            what = " and ".join(part for part in parts if part)
            gitrepo.commit(path, f"ecomgit init: {what or 'git attributes'}\n")
    return extras


def add_extras(
    path: Path, ci_name: str | None, lfs: bool, package: str | None = None, schedule: ci.Schedule | None = None
) -> list[ci.Written]:
    """``.gitattributes`` and the local diff driver always; workflows for ``ci_name`` (``github``),
    installing ``package`` (default: the spec of this installation, see ``install_spec``), syncing
    on ``schedule`` (default: quick every 10 minutes, full every 6 hours)."""
    ci.setup_clone(path)
    existing = (path / ci.ATTRIBUTES).exists() and ci.ATTRIBUTES_MARK in (path / ci.ATTRIBUTES).read_text("utf-8")
    written = [ci.write_attributes(path, lfs)] if lfs or not existing else []
    if ci_name == "github":
        spec = package_spec(package)
        branch = gitrepo.current_branch(path)
        written += ci.write_github_workflows(path, branch, lfs, spec, schedule or ci.Schedule())
    return written
