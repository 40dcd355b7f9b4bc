"""API credentials: from the environment or a 0600 file outside the repository. Never stored."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ecomgit.api.hosts import is_loopback, trusts_loopback
from ecomgit.errors import CredentialsError

ENV_KEY = "ECOMGIT_API_KEY"
ENV_SECRET = "ECOMGIT_API_SECRET"
ENV_FILE = "ECOMGIT_CREDENTIALS_FILE"


@dataclass(frozen=True)
class Credentials:
    key: str
    secret: str

    def __repr__(self) -> str:
        return "Credentials(key=***, secret=***)"


_loaded: list[Credentials] = []  # every pair this process has read, for the last-guard redaction


def loaded() -> tuple[Credentials, ...]:
    """The credentials this process has read (environment or file), so a crash report can mask them."""
    return tuple(_loaded)


def _remember(creds: Credentials) -> Credentials:
    if creds not in _loaded:
        _loaded.append(creds)
    return creds


def default_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ecomgit" / "credentials"


def is_local(url: str) -> bool:
    """True for an emulator on this machine (loopback), where credentials are optional."""
    return is_loopback(urlsplit(url).hostname or "")


def load(api_url: str, repo_root: Path | None = None) -> Credentials | None:
    """Credentials for ``api_url``: the environment first, then the credentials file.

    None for a loopback address (the emulator) unless the environment trusts it by name
    (``ECOMGIT_TRUSTED_API_HOST=localhost:PORT``): a committed ``api_url`` that points at a local
    port must not hand the real key to whatever listens there. A real shop without credentials is
    an error.
    """
    if is_local(api_url) and not trusts_loopback(api_url):
        return None
    key, secret = os.environ.get(ENV_KEY, ""), os.environ.get(ENV_SECRET, "")
    if key or secret:
        if not (key and secret):
            raise CredentialsError(f"set both {ENV_KEY} and {ENV_SECRET} (only one is set)")
        return _remember(Credentials(key, secret))
    path = Path(os.environ[ENV_FILE]) if os.environ.get(ENV_FILE) else default_file()
    if path.exists():
        return _remember(_from_file(path, repo_root))
    if is_local(api_url):
        return None
    raise CredentialsError(
        f"no API credentials: set {ENV_KEY} and {ENV_SECRET}, or write 'key: …' and "
        f"'secret: …' lines to {path} (mode 0600)"
    )


def _from_file(path: Path, repo_root: Path | None) -> Credentials:
    if repo_root is not None and path.resolve().is_relative_to(repo_root.resolve()):
        raise CredentialsError(f"{path} is inside the repository; move it out (it must never be committed)")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialsError(f"{path} is readable by others (mode {mode:o}); run 'chmod 600 {path}'")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CredentialsError(f"{path} is not UTF-8 text; write 'key: …' and 'secret: …' lines to it") from None
    except OSError as exc:  # a directory, a file this user may not read
        raise CredentialsError(
            f"cannot read {path} ({exc.strerror or type(exc).__name__}); it must be a file"
        ) from None
    values: dict[str, str] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() in ("key", "secret"):
            values[name.strip()] = value.strip().strip("'\"")
    if not values.get("key") or not values.get("secret"):
        raise CredentialsError(f"{path} must have a 'key: …' line and a 'secret: …' line")
    return Credentials(values["key"], values["secret"])


def available(repo_root: Path | None = None) -> Credentials | None:
    """The credentials this machine holds (the environment, else the credentials file), whatever
    shop the mirror names; None when there are none or they cannot be read. For sealing records
    (:mod:`ecomgit.seal`), which must not fail a command that never talks to the shop."""
    key, secret = os.environ.get(ENV_KEY, ""), os.environ.get(ENV_SECRET, "")
    if key and secret:
        return _remember(Credentials(key, secret))
    if key or secret:
        return None
    path = Path(os.environ[ENV_FILE]) if os.environ.get(ENV_FILE) else default_file()
    try:
        return _remember(_from_file(path, repo_root)) if path.is_file() else None
    except (CredentialsError, OSError):
        return None
