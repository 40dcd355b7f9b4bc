"""What the generated workflows install: a pip requirement for ecomgit that exists and cannot be squatted.

A workflow runs with the shop's credentials, so the package it installs is code trusted with
them. ``ecomgit==<version>`` names whatever a package index serves under that name (nothing, for
a project installed from git, or someone else's package). The spec is taken from how ecomgit
itself was installed, which pip records in the distribution's ``direct_url.json`` (PEP 610):

- from a VCS URL: ``git+<url>@<commit>``, pinned to the commit that was installed (pip takes a
  VCS URL as it is; the ``name @ url`` form refuses a ``file://`` URL);
- from an archive URL with a hash: that URL with its hash;
- from a package index (no ``direct_url.json``): ``ecomgit==<version>``;
- from a local folder or an editable install: nothing a runner could install, so ``init`` stops
  and says what to pass as ``--package``.

``--package SPEC`` overrides all of this; it is checked to be one requirement on one line.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from ecomgit.errors import ConfigError

ASK = (
    "pass the package the workflows should install with --package, e.g. "
    "--package 'git+https://github.com/OWNER/ecomgit@COMMIT' (a commit pins exactly what runs with "
    "your shop's credentials), or install ecomgit that way here first "
    "(pipx install 'git+https://github.com/OWNER/ecomgit@COMMIT')"
)
_SPEC = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-\[\],]*\s*(@\s*\S+|[=~!<>]=?\s*\S+)?|[a-z+]+://\S+", re.ASCII)


def package_spec(given: str | None = None) -> str:
    """The requirement the workflows install (see the module's words)."""
    if given is not None:
        return _checked(given)
    try:
        dist = metadata.distribution("ecomgit")
    except metadata.PackageNotFoundError:
        raise ConfigError(f"ecomgit is not installed as a package here; {ASK}") from None
    raw = dist.read_text("direct_url.json")
    if raw is None and (Path(str(dist.locate_file(""))) / "pyproject.toml").exists():
        raise ConfigError(f"ecomgit runs from its source checkout ({dist.locate_file('')}); {ASK}")
    if raw is None:
        return f"ecomgit=={dist.version}"  # from a package index
    try:
        data: Any = json.loads(raw)
    except ValueError:
        data = {}
    return from_direct_url(data if isinstance(data, dict) else {})


def from_direct_url(data: dict[str, Any]) -> str:
    url = str(data.get("url", ""))
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id") and url:
        subdirectory = data.get("subdirectory")
        suffix = f"#subdirectory={subdirectory}" if subdirectory else ""
        return f"{vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}{suffix}"
    archive = data.get("archive_info")
    if isinstance(archive, dict) and url and not url.startswith("file:"):
        hashes = archive.get("hashes") or {}
        digest = next(iter(hashes.items()), None) if isinstance(hashes, dict) else None
        if digest is not None:
            return f"{url}#{digest[0]}={digest[1]}"
    where = "an editable install" if (data.get("dir_info") or {}).get("editable") else f"{url or 'a local folder'}"
    raise ConfigError(f"ecomgit is installed from {where}, which a CI runner cannot install; {ASK}")


def _checked(spec: str) -> str:
    text = spec.strip()
    if not _SPEC.fullmatch(text) or any(char in text for char in "'\"`${}"):
        raise ConfigError(
            f"--package {spec!r} is not one pip requirement (e.g. 'ecomgit==1.2.0' or "
            "'git+https://github.com/OWNER/ecomgit@COMMIT')"
        )
    return text
