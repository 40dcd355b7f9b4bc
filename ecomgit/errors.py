"""The one error tree every user-facing failure comes from.

Everything the user can cause or fix derives from :class:`EcomgitError` and maps to exit code 1
(usage errors are click's business, exit 2). Anything else that escapes is a bug: exit 3, with the
traceback written to a log file. Exit codes are decided in exactly one place:
``ecomgit.cli.main.main``.

    EcomgitError                      exit 1; ``str(e)`` says what failed and what to do next
    ├── ConfigError                   missing/invalid .ecomgit/config.yaml, not an ecomgit repo
    ├── CredentialsError              no credentials, unreadable credentials file
    ├── MirrorError                   a product file cannot be read or is invalid
    │   └── MirrorFileError           ... with file and line
    ├── GitError                      a git command failed; dirty tree; another sync running
    ├── SyncError                     a sync could not finish (state is kept; run it again)
    ├── StateError                    .git/ecomgit/sync.db is damaged (deleting it is safe)
    └── ApiError                      the shop answered with an error, or could not be reached
        ├── TransportError            connection refused/dropped, timeout (after retries)
        ├── AuthError                 401 wrong credentials
        ├── PermissionDeniedError     403 the key lacks a permission
        ├── NotFoundError             404 unknown id or language
        ├── RejectedError             400/405/422 the shop refused a write
        ├── ImageRefusedError         an image not fetched: not on the shop's CDN, or too large
        ├── RateLimitError            429 or a request budget that ran out
        │   └── SyncStopped           ... stopping a sync, with a summary of what is left
        │                             (in ecomgit.sync.report, beside the summary it carries)
        └── ServerError               5xx after retries

No message ever contains a secret: the API client redacts credentials before it raises.
"""

from __future__ import annotations


class EcomgitError(Exception):
    """A failure the user can understand and act on (exit code 1)."""

    exit_code = 1


class ConfigError(EcomgitError):
    """The repository's configuration is missing or invalid."""


class CredentialsError(EcomgitError):
    """Credentials are missing or cannot be read safely."""


class MirrorError(EcomgitError):
    """A product in the mirror cannot be read or is invalid."""


class MirrorFileError(MirrorError):
    """A mirror file is malformed; carries the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class GitError(EcomgitError):
    """A git operation failed, or the repository is not in a state we can work in."""


class SyncError(EcomgitError):
    """A sync could not finish; what was fetched is kept and the next run continues."""


class StateError(EcomgitError):
    """The local sync state (``.git/ecomgit/sync.db``) cannot be read: a damaged file, not a bug."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: the local sync state is damaged and cannot be read (SQLite: {reason}). "
            "It is a cache of what the last sync read, not data of its own: deleting it is safe "
            f"(rm {path}); the next 'ecomgit sync' rebuilds it at the cost of one full read of the shop"
        )


class ApiError(EcomgitError):
    """The shop's API answered with an error or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        super().__init__(message)


class TransportError(ApiError):
    """The connection failed, dropped or timed out (after retries)."""


class AuthError(ApiError):
    """401: the API key or secret is wrong."""


class PermissionDeniedError(ApiError):
    """403: the API key lacks a permission this operation needs."""


class NotFoundError(ApiError):
    """404: unknown id, resource or language."""


class RejectedError(ApiError):
    """400/405/422: the shop refused the request's content."""


class ImageRefusedError(ApiError):
    """An image ``src`` on a host other than the shop's CDN, or a body past the size cap."""


class RateLimitError(ApiError):
    """429, or the request budget for this run is used up."""

    def __init__(self, message: str, *, reset_seconds: float | None = None, **kw: object) -> None:
        self.reset_seconds = reset_seconds
        super().__init__(message, **kw)  # type: ignore[arg-type]


class ServerError(ApiError):
    """5xx from the shop after retries."""
