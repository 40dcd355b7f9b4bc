"""Opening a pull request for a proposal branch: push it to ``origin`` (the git CLI, with git's own
credentials), then ask GitHub's REST API for the pull request into the default branch.

The token (``GITHUB_TOKEN``) is sent to ``https://api.github.com`` only, in the ``Authorization``
header; it never enters a URL, a git command, a message or a page: every message is redacted. The
HTTP transport is one constructor argument (tests give an ``httpx.MockTransport``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from ecomgit import branches, gitrepo
from ecomgit.api.redact import Redactor
from ecomgit.errors import EcomgitError, GitError

TOKEN_ENV = "GITHUB_TOKEN"
API = "https://api.github.com"
REMOTE = "origin"
# git@github.com:owner/repo.git, ssh://git@github.com/owner/repo, https://github.com/owner/repo.git
_GITHUB_URL = re.compile(
    r"^(?:(?:https|ssh|git)://(?:[^/@]+@)?github\.com(?::\d+)?/|[^/@:]+@github\.com:)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)


class PullRequestError(EcomgitError):
    """The branch could not be pushed or the pull request not opened (the branch itself is made)."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str  # the page on GitHub


def github_repo(url: str) -> tuple[str, str] | None:
    """(owner, repository) of a GitHub remote URL, or None for any other URL."""
    found = _GITHUB_URL.match(url.strip())
    return (found["owner"], found["repo"]) if found else None


class GitHub:
    """Opens pull requests in the GitHub repository the mirror's ``origin`` names."""

    def __init__(self, token: str, *, transport: httpx.BaseTransport | None = None) -> None:
        if not token.strip():
            raise ValueError("an empty GitHub token")
        self._token = token.strip()
        self._redact = Redactor([self._token])
        self._transport = transport

    def __repr__(self) -> str:
        return "GitHub(token=***)"

    def open(self, root: Path, branch: str, title: str, body: str) -> PullRequest:
        """Push ``branch`` to origin and open its pull request into the default branch."""
        owner, name, base = self._target(root)
        self._push(root, branch)
        return self._create(owner, name, {"title": title, "head": branch, "base": base, "body": body})

    def _target(self, root: Path) -> tuple[str, str, str]:
        url = gitrepo.run(root, "config", "--get", f"remote.{REMOTE}.url", check=False).strip()
        if not url:
            raise PullRequestError(f"this mirror has no '{REMOTE}' remote to push the branch to")
        found = github_repo(url)
        if found is None:
            raise PullRequestError(f"'{REMOTE}' ({self._redact(url)}) is not a GitHub repository")
        base = branches.default_branch(root)
        if base is None:
            raise PullRequestError("the mirror does not say which branch is its default one (the pull request's base)")
        return (*found, base)

    def _push(self, root: Path, branch: str) -> None:
        try:
            refspec = f"refs/heads/{branch}:refs/heads/{branch}"
            gitrepo.run(root, "push", "--quiet", REMOTE, refspec, unset=[TOKEN_ENV])  # git's own credentials
        except GitError as exc:
            raise PullRequestError(self._redact(f"could not push {branch} to {REMOTE}: {exc}")) from None

    def _create(self, owner: str, name: str, payload: dict[str, str]) -> PullRequest:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "ecomgit",
        }
        where = f"POST {API}/repos/{owner}/{name}/pulls"
        try:
            with httpx.Client(base_url=API, transport=self._transport, timeout=30, follow_redirects=False) as client:
                answer = client.post(f"/repos/{owner}/{name}/pulls", json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise PullRequestError(self._redact(f"{where}: GitHub could not be reached ({exc})")) from None
        if answer.status_code != 201:
            raise PullRequestError(self._redact(f"{where}: GitHub answered {answer.status_code}: {_reason(answer)}"))
        data = answer.json()
        url = str(data.get("html_url") or "")
        if not url.startswith("https://"):  # shown as a link: nothing but a web page
            raise PullRequestError(f"{where}: GitHub's answer names no pull request page")
        return PullRequest(int(data["number"]), url)


def _reason(answer: httpx.Response) -> str:
    """GitHub's message and its errors (``A pull request already exists for …``), in one line."""
    try:
        data = answer.json()
    except ValueError:
        return answer.reason_phrase or "no reason given"
    if not isinstance(data, dict):
        return answer.reason_phrase
    words = [str(data.get("message") or answer.reason_phrase)]
    for error in data.get("errors") or []:
        words.append(str(error.get("message") or error) if isinstance(error, dict) else str(error))
    return "; ".join(words)
