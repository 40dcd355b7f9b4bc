"""Which hosts may receive the shop's API credentials, decided before any connection is made.

The API URL comes from ``.ecomgit/config.yaml``, which anyone who can open a pull request can
edit, or from ``--api-url``. A URL that points anywhere else would hand the key and secret to that
host with the first request, so :func:`checked_base_url` (called by every ``ShopClient``) lets
through only

* ``https://`` to a Lightspeed eCom API host (:data:`LIGHTSPEED_HOSTS`) on the default port;
* ``http://`` or ``https://`` to loopback (``localhost``, ``127.0.0.0/8``, ``::1``): the emulator,
  which needs no credentials; the shop's credentials go there only when the environment names
  that host and port in :data:`TRUST_ENV` (:func:`trusts_loopback`; see ``credentials.load``);
* the one host the user names in the environment variable :data:`TRUST_ENV` (never a file in
  the repository, which a pull request could change).

The URL is judged by httpx's own parser, the one that then sends the requests, so a host that looks
like Lightspeed to one parser and like another to the next (``api.webshopapp.com@evil.com``,
``evil.com#api.webshopapp.com``, a trailing dot, a look-alike letter) cannot slip through; the base
URL the client keeps is rebuilt from the parsed parts. Redirects are never followed with
credentials (the client sets ``follow_redirects=False``).
"""

from __future__ import annotations

import ipaddress
import os

import httpx

from ecomgit.errors import ConfigError

LIGHTSPEED_HOSTS = frozenset({"api.webshopapp.com", "api.shoplightspeed.com"})
TRUST_ENV = "ECOMGIT_TRUSTED_API_HOST"


def checked_base_url(url: str) -> str:
    """``url`` as the client's base (``scheme://host[:port][/path]``), or :class:`ConfigError` when
    credentials must not go there."""
    parsed = _parse(url)
    host = parsed.raw_host.decode("ascii").lower()
    if not (_is_lightspeed(parsed, host) or is_loopback(host) or _is_trusted(host)):
        raise ConfigError(_refusal(parsed, host))
    if parsed.userinfo or parsed.query or parsed.fragment:
        raise ConfigError(
            f"the shop's API URL for {host} must not hold a user, '?' or '#' part; give only "
            "https://host (credentials come from ECOMGIT_API_KEY and ECOMGIT_API_SECRET)"
        )
    netloc = f"[{host}]" if ":" in host else host
    if parsed.port is not None:
        netloc += f":{parsed.port}"
    path = parsed.raw_path.decode("ascii").rstrip("/")
    return f"{parsed.scheme}://{netloc}{path}"


def trusts_loopback(url: str) -> bool:
    """Whether the environment lets credentials go to the loopback shop at ``url``: only when
    :data:`TRUST_ENV` names its host and port (``localhost:8080``), or its host alone (any port of
    it). A committed ``api_url`` alone never decides it: whatever listens on a local port (another
    user's process, a forwarded port) would otherwise receive the real key with the first request."""
    parsed = _parse(url)
    host = parsed.raw_host.decode("ascii").lower()
    trusted = os.environ.get(TRUST_ENV, "").strip().lower()
    if not trusted or not is_loopback(host):
        return False
    port = parsed.port if parsed.port is not None else (443 if parsed.scheme == "https" else 80)
    shown = f"[{host}]" if ":" in host else host
    return trusted in (shown, f"{shown}:{port}", host)


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address literal (not a name that merely starts like one)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def direct_mounts(base_url: str) -> dict[str, httpx.BaseTransport | None]:
    """No proxy for a plain-http API host (loopback, or one the user trusts): ``HTTP_PROXY`` would
    otherwise see the Basic header in clear text (httpx exempts a host only when ``NO_PROXY`` says
    so). ``https://`` goes through a proxy as a CONNECT tunnel, which sees no header."""
    parsed = httpx.URL(base_url)
    host = parsed.raw_host.decode("ascii")
    if not is_loopback(host) and parsed.scheme != "http":
        return {}
    return {f"all://[{host}]" if ":" in host else f"all://{host}": None}


PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def proxy_refusal(exc: Exception) -> str:
    """The one line for proxy settings httpx could not use (``exc`` is what it raised); the values
    are not shown (a proxy URL may hold a password)."""
    names = [n for base in PROXY_ENV for n in (base, base.lower()) if os.environ.get(n)]
    shown = ", ".join(names) or "the proxy settings"
    if isinstance(exc, ImportError):
        why = "a SOCKS proxy needs the socksio package (pip install 'httpx[socks]')"
    else:
        why = "use http://, https:// or socks5:// proxy URLs with a numeric port"
    return f"the proxy settings in the environment ({shown}) cannot be used: {why}; fix or unset them"


def _parse(url: str) -> httpx.URL:
    shown = url.strip()
    try:
        parsed = httpx.URL(shown)
    except httpx.InvalidURL as exc:
        raise ConfigError(
            f"the shop's API URL {shown!r} is not valid ({exc}); fix api_url in .ecomgit/config.yaml"
        ) from None
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise ConfigError(f"the shop's API URL {shown!r} must be http(s)://host, e.g. https://api.webshopapp.com")
    return parsed


def _is_lightspeed(parsed: httpx.URL, host: str) -> bool:
    return host in LIGHTSPEED_HOSTS and parsed.scheme == "https" and parsed.port is None


def _is_trusted(host: str) -> bool:
    trusted = os.environ.get(TRUST_ENV, "").strip().lower()
    return bool(trusted) and trusted == host


def _refusal(parsed: httpx.URL, host: str) -> str:
    shown = f"{host}:{parsed.port}" if parsed.port is not None else host
    if host in LIGHTSPEED_HOSTS:
        why = f"Lightspeed's API is reached only as https://{host} (no other scheme or port)"
    else:
        why = "it is not a Lightspeed eCom API host (api.webshopapp.com, api.shoplightspeed.com) nor loopback"
    return (
        f"refusing to send the shop's credentials to {shown} ({parsed.scheme}://): {why}. "
        f"Check api_url in .ecomgit/config.yaml (or --api-url); if you trust this host, set {TRUST_ENV}={host} "
        "in the environment"
    )
