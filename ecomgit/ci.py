"""``ecomgit init --ci github`` and ``--lfs``: the files that make a mirror repository collaborative.

* ``.gitattributes``: product files diff with their field as the hunk header, always with LF line
  ends; images are binary (never merged, never line-end converted) or, with ``--lfs``, in Git LFS.
* Four GitHub Actions workflows:

  - ``ecomgit-sync.yml``: every 30 minutes (and on demand) sync, commit, publish to the default
    branch; then push any edits still pending (a push run GitHub dropped from its queue is caught up);
  - ``ecomgit-push.yml``: on every change of ``products/`` on the default branch (a merged pull
    request), ``ecomgit check`` then ``ecomgit push --yes``, and the push's record commit published;
  - ``ecomgit-review.yml``: on pull requests that change products, the mirror's settings
    (``.ecomgit/``) or ``.gitattributes``, ``ecomgit check`` and the ``diff --markdown`` summary
    (settings changes in words too) as one comment that each run updates. It reads no API and
    gets no secrets, so it is safe for pull requests from forks.
  - ``ecomgit-drill.yml``: weekly (and on demand) ``ecomgit drill``: Retail's destructive actions
    played on a sample of the mirror's products in the built-in emulator, each restored as the
    README says and compared; the table goes to the run's summary and a shortfall fails the run.
    It reads the mirror only and gets no secrets (the drill never calls the shop).

  Sync and push share one concurrency group, so two runs never write to the shop (or the branch)
  at once. Credentials come from the repository secrets ``ECOMGIT_API_KEY`` and
  ``ECOMGIT_API_SECRET``, given only to the steps that call the shop (``ecomgit sync``, ``ecomgit
  push``): never job-wide, so the package install, the checks and git never see them. Third-party
  actions are pinned to a commit. No ``${{ }}`` expression is ever expanded inside a script
  (GitHub's advice against script injection): scripts read environment variables. The sync state
  (``.git/ecomgit/sync.db``) is kept between runs with the cache action, so a run does not re-read
  the whole shop in depth; it is saved after a sync that finished or stopped cleanly at a limit
  (see ``_SAVE_AFTER_SYNC``); the sync stops itself inside the job's time limit (``--max-time``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.errors import ConfigError

WORKFLOWS_DIR = Path(".github/workflows")
ATTRIBUTES = Path(".gitattributes")
DIFF_DRIVER = "ecomgit-product"
# The hunk header of a product file's diff: the nearest top-level field, variant or image above.
HUNK_HEADER = r"^([A-Za-z][A-Za-z0-9_]*:.*|- (id|file): .*)$"
ATTRIBUTES_MARK = "# ecomgit"


@dataclass(frozen=True)
class Written:
    path: str
    created: bool  # False: it existed and was left alone (but for ``changes``)
    changes: tuple[str, ...] = ()  # settings updated in a file that existed: "lfs: false → true"


def attributes(lfs: bool) -> str:
    images = "filter=lfs diff=lfs merge=lfs -text" if lfs else "binary"
    return (
        f"{ATTRIBUTES_MARK}: product files diff field by field (the hunk header names the field, variant or\n"
        "# image) and keep LF line ends on every machine; images are never diffed, merged or converted.\n"
        f"products/*/product.yaml text eol=lf diff={DIFF_DRIVER}\n"
        "shop/*.yaml text eol=lf\n"
        f"products/*/images/** {images}\n"
    )


def setup_clone(root: Path) -> None:
    """Local git settings ``.gitattributes`` refers to (git keeps them out of the repository)."""
    gitrepo.run(root, "config", f"diff.{DIFF_DRIVER}.xfuncname", HUNK_HEADER)


def write_attributes(root: Path, lfs: bool) -> Written:
    """Add ecomgit's lines to ``.gitattributes`` (once; ``--lfs`` switches images to LFS)."""
    path = root / ATTRIBUTES
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    ours = attributes(lfs)
    if ATTRIBUTES_MARK in text:
        start = text.index(ATTRIBUTES_MARK)
        end = text.index("products/*/images/**", start)
        end = text.index("\n", end) + 1
        if text[start:end] == ours:
            return Written(str(ATTRIBUTES), False)
        text = text[:start] + ours + text[end:]
    else:
        text += ("\n" if text and not text.endswith("\n") else "") + ours
    path.write_text(text, encoding="utf-8")
    return Written(str(ATTRIBUTES), True)


def lfs_installed() -> bool:
    if shutil.which("git-lfs") is None:
        return False
    return subprocess.run(["git", "lfs", "version"], capture_output=True, check=False).returncode == 0


@dataclass(frozen=True)
class Schedule:
    """When the generated sync workflow runs: a quick sync every ``quick_minutes`` (None: never) and a
    full one every ``full_hours`` (see ``ecomgit.sync.quick``)."""

    quick_minutes: int | None = 10
    full_hours: int = 6

    def __post_init__(self) -> None:
        if self.quick_minutes is not None and not 5 <= self.quick_minutes <= 59:
            raise ConfigError("--quick-every must be 5 to 59 minutes (GitHub runs schedules every 5 minutes at most)")
        if self.full_hours not in (1, 2, 3, 4, 6, 8, 12, 24):
            raise ConfigError("--full-every must divide a day: 1, 2, 3, 4, 6, 8, 12 or 24 hours")

    @property
    def full_cron(self) -> str:
        """At minute 7, apart from most quick runs (two runs at once queue in one concurrency group)."""
        hours = "3" if self.full_hours == 24 else "*" if self.full_hours == 1 else f"*/{self.full_hours}"
        return f"7 {hours} * * *"

    @property
    def quick_cron(self) -> str | None:
        return None if self.quick_minutes is None else f"*/{self.quick_minutes} * * * *"

    def describe(self) -> str:
        full = "every hour" if self.full_hours == 1 else f"every {self.full_hours} hours"
        if self.quick_minutes is None:
            return f"a full sync {full}"
        return f"a quick sync every {self.quick_minutes} minutes and a full one {full}"


def write_github_workflows(
    root: Path, branch: str, lfs: bool, package: str, schedule: Schedule | None = None
) -> list[Written]:
    """Write the workflows; an existing file is left alone (it may hold the user's edits)."""
    out = []
    folder = root / WORKFLOWS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in github_workflows(branch, lfs, package, schedule or Schedule()).items():
        path = folder / name
        rel = str(WORKFLOWS_DIR / name)
        if path.exists():
            old = path.read_text(encoding="utf-8")
            new, changes = update_settings(old, lfs, package)
            if changes:
                path.write_text(new, encoding="utf-8")
            out.append(Written(rel, False, tuple(changes)))
            continue
        path.write_text(text, encoding="utf-8")
        out.append(Written(rel, True))
    return out


_LFS_LINE = re.compile(r"^(\s+lfs: )(true|false)(.*)$", re.MULTILINE)
_PACKAGE_LINE = re.compile(r"^(\s+PACKAGE: \$\{\{ vars\.ECOMGIT_PACKAGE \|\| ')([^']*)(' \}\}.*)$", re.MULTILINE)


def update_settings(text: str, lfs: bool, package: str) -> tuple[str, list[str]]:
    """A workflow that exists (perhaps edited by its owner) with the settings ``init`` owns brought
    up to date: the checkout's ``lfs:`` and the package it installs. Every other line stays."""
    changes: list[str] = []
    wanted = "true" if lfs else "false"

    def lfs_line(match: re.Match[str]) -> str:
        if match[2] != wanted and lfs:  # --lfs switches it on; leaving it out never switches it off
            changes.append(f"lfs: {match[2]} → {wanted}")
            return f"{match[1]}{wanted}{match[3]}"
        return match[0]

    def package_line(match: re.Match[str]) -> str:
        if match[2] != package:
            changes.append(f"installs {package} (was {match[2]})")
            return f"{match[1]}{package}{match[3]}"
        return match[0]

    text = _PACKAGE_LINE.sub(package_line, _LFS_LINE.sub(lfs_line, text))
    return text, sorted(set(changes), key=changes.index)


def github_workflows(branch: str, lfs: bool, package: str, schedule: Schedule | None = None) -> dict[str, str]:
    """The workflows' text; ``package``: the pip requirement they install (see ``install_spec``)."""
    schedule = schedule or Schedule()
    quick = schedule.quick_cron
    fill = {
        "@BRANCH@": branch,
        "@LFS@": "true" if lfs else "false",
        "@PACKAGE@": package,
        "@WHEN@": schedule.describe(),
        "@CRONS@": "".join(f'    - cron: "{cron}"\n' for cron in (quick, schedule.full_cron) if cron),
        "@QUICK@": quick or "never",
    }

    def render(text: str) -> str:
        for key, value in fill.items():
            text = text.replace(key, value)
        return text

    return {
        "ecomgit-sync.yml": render(_SYNC),
        "ecomgit-push.yml": render(_PUSH),
        "ecomgit-review.yml": render(_REVIEW),
        "ecomgit-drill.yml": render(_DRILL),
    }


# Third-party actions pinned to a commit (a tag can be moved to other code); the tag is in the comment.
# Verified against the actions' own repositories: git show-ref --tags (v4.4.0, v5.6.0, v4.3.0).
_CHECKOUT = "actions/checkout@11d5960a326750d5838078e36cf38b85af677262  # v4.4.0"
_SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0"
_CACHE_RESTORE = "actions/cache/restore@0057852bfaa89a56745cba8c7296529d2fc39830  # v4.3.0"
_CACHE_SAVE = "actions/cache/save@0057852bfaa89a56745cba8c7296529d2fc39830  # v4.3.0"

_INSTALL = (
    f"      - uses: {_SETUP_PYTHON}\n"
    + """\
        with:
          python-version: "3.11"
      - name: Install ecomgit
        env:
          PACKAGE: ${{ vars.ECOMGIT_PACKAGE || '@PACKAGE@' }}
        run: python -m pip install --quiet "$PACKAGE"
"""
)

_SETUP = (
    f"      - uses: {_CHECKOUT}\n"
    + """\
        with:
          ref: @BRANCH@
          fetch-depth: 0  # ecomgit reads the history: the last sync, pending edits, deleted products
          lfs: @LFS@
"""
    + _INSTALL
    + f"""\
      - name: Restore the sync state
        uses: {_CACHE_RESTORE}
"""
    + """\
        with:
          path: .git/ecomgit/sync.db
          key: ecomgit-state-${{ github.run_id }}
          restore-keys: ecomgit-state-
"""
)


def _save(condition: str) -> str:
    """The step that keeps the sync state for the next run, when ``condition`` holds."""
    return f"""\
      - name: Keep the sync state for the next run
        if: ${{{{ {condition} }}}}
        uses: {_CACHE_SAVE}
        with:
          path: .git/ecomgit/sync.db
          key: ecomgit-state-${{{{ github.run_id }}}}
"""


# The sync workflow keeps the state after a sync that finished, or that stopped cleanly at its time
# limit, the request budget or a rate limit (what it read is kept, and the next run continues it:
# a backlog larger than one run converges); a sync that failed otherwise starts the next run from
# the last kept state. The sync's outcome alone decides: a push that failed after it leaves a state
# that is still consistent, and one that must be kept (its record of what it wrote). Push never
# runs on a half-finished sync: its step runs only after a sync that succeeded, and 'ecomgit push'
# refuses a state with an unfinished sync. The push workflow keeps the state unless cancelled.
_SAVE_AFTER_SYNC = _save("!cancelled() && (steps.sync.outcome == 'success' || steps.sync.outputs.stopped == 'clean')")
_SAVE = _save("!cancelled()")

_PUBLISH = """\
      - name: Publish the commits
        if: ${{ !cancelled() }}
        run: |
          git push origin "HEAD:$BRANCH" || {
            echo "$BRANCH moved while this run worked; merging it in (a rebase would rewrite the records)"
            git -c user.name="github-actions[bot]" \\
              -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \\
              pull --no-rebase --no-edit origin "$BRANCH" && git push origin "HEAD:$BRANCH"
          }
"""

# The job's environment holds no secret: the shop's credentials go only to the steps that call the
# shop (sync, push), never to the install, the checks or git.
_JOB_ENV = """\
    env:
      BRANCH: @BRANCH@
"""
_SHOP_CREDENTIALS = """\
        env:
          ECOMGIT_API_KEY: ${{ secrets.ECOMGIT_API_KEY }}
          ECOMGIT_API_SECRET: ${{ secrets.ECOMGIT_API_SECRET }}
"""

# After a sync: a product the shop deleted whose codes now live in another product is proposed back
# onto it, one pull request per successor (ecomgit.heal). A branch that had a pull request (open,
# merged or closed: a person decided) is not proposed again. No shop credentials: nothing is written
# to the shop until the pull request is merged and the push workflow sends it.
_PROPOSE = """\
      - name: Propose lost content back
        if: ${{ !cancelled() && steps.sync.outcome == 'success' }}
        env:
          GH_TOKEN: ${{ github.token }}
        run: |
          proposed="${RUNNER_TEMP:-/tmp}/ecomgit-proposed.json"
          ecomgit lost --propose --json > "$proposed"
          python -c "import json, sys; [print(p['branch']) for p in json.load(sys.stdin)['proposed']]" \\
            < "$proposed" | while read -r branch; do
            if [ -n "$(gh pr list --head "$branch" --state all --json number --jq '.[].number')" ]; then
              continue
            fi
            git push origin "$branch"
            body="${RUNNER_TEMP:-/tmp}/ecomgit-proposal.md"
            ecomgit diff "$BRANCH" "$branch" --markdown > "$body"
            gh pr create --base "$BRANCH" --head "$branch" --title "Restore lost content: $branch" --body-file "$body"
          done
"""

_SYNC = (
    """\
# ecomgit: keep the mirror current: @WHEN@ (and a full one from the Actions tab) read
# the shop and commit what changed to @BRANCH@; then edits still waiting to be pushed are pushed.
# A quick sync asks which products and variants changed since the last sync (a handful of requests);
# the full one also finds what does not move a product's updatedAt (images, links, the shop's lists).
# Needs the repository secrets ECOMGIT_API_KEY and ECOMGIT_API_SECRET.
# Written by 'ecomgit init --ci github'; yours to edit.
name: ecomgit sync
on:
  schedule:
@CRONS@  workflow_dispatch:
permissions:
  contents: write
  pull-requests: write  # lost content proposed back (the step that does it has the token)
concurrency:
  group: ecomgit-shop  # shared with ecomgit push: one writer at a time
  cancel-in-progress: false
jobs:
  sync:
    runs-on: ubuntu-latest
    timeout-minutes: 60
"""
    + _JOB_ENV
    + """\
      SCHEDULE: ${{ github.event.schedule }}  # which schedule started the run (empty: by hand)
      QUICK_SCHEDULE: "@QUICK@"
    steps:
"""
    + _SETUP
    + """\
      - name: Sync
        id: sync
        run: |
          # the quick schedule's runs ask what changed; the others (and a run by hand) read it all.
          # Stop cleanly well inside the job's 60 minutes (a wait for a rate-limit window counts);
          # a stop at a limit is no failure of the mirror: its state is kept and the next run continues
          ecomgit sync $([ "$SCHEDULE" = "$QUICK_SCHEDULE" ] && echo --quick) --max-time 40m --max-wait 10m || {
            code=$?
            if ecomgit status --json | python -c "import json, sys; sys.exit(not json.load(sys.stdin)['syncStopped'])"
            then echo "stopped=clean" >> "$GITHUB_OUTPUT"
            fi
            exit "$code"
          }
"""
    + _SHOP_CREDENTIALS
    + _PUBLISH
    + """\
      - name: Push edits still pending
        run: ecomgit push --yes
"""
    + _SHOP_CREDENTIALS
    + _PUBLISH
    + _PROPOSE
    + _SAVE_AFTER_SYNC
)

_PUSH = (
    """\
# ecomgit: send edits merged into @BRANCH@ (a merged pull request, a direct commit) to the shop.
# 'ecomgit check' first: a broken product file stops the run before anything is written.
# A product changed in the shop since the last sync is refused (the run fails and says which
# fields); the other products are pushed. Needs ECOMGIT_API_KEY and ECOMGIT_API_SECRET.
# Written by 'ecomgit init --ci github'; yours to edit.
name: ecomgit push
on:
  push:
    branches: [@BRANCH@]
    paths: ["products/**"]
  workflow_dispatch:
permissions:
  contents: write
concurrency:
  group: ecomgit-shop  # shared with ecomgit sync: one writer at a time
  cancel-in-progress: false
jobs:
  push:
    runs-on: ubuntu-latest
    timeout-minutes: 30
"""
    + _JOB_ENV
    + """\
    steps:
"""
    + _SETUP
    + """\
      - name: Check the product files
        run: ecomgit check
      - name: Push to the shop
        run: ecomgit push --yes
"""
    + _SHOP_CREDENTIALS
    + _PUBLISH
    + _SAVE
)

_REVIEW = (
    """\
# ecomgit: on each pull request that touches products/, the mirror's settings (.ecomgit/) or
# .gitattributes, check the product files and post the changes in words, settings included, and any
# old price set above the 30-day low, as one comment (updated on every push to the pull request).
# Reads no API and uses no shop credentials, so it is safe for pull requests from forks.
# Written by 'ecomgit init --ci github'; yours to edit.
name: ecomgit review
on:
  pull_request:
    paths: ["products/**", ".ecomgit/**", ".gitattributes", "**/.gitattributes"]
permissions:
  contents: read
  pull-requests: write
concurrency:
  group: ecomgit-review-${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    env:
      BASE: ${{ github.event.pull_request.base.sha }}
      LINK_BASE: ${{ github.server_url }}/${{ github.repository }}/blob/${{ github.event.pull_request.head.sha }}/
      PR: ${{ github.event.pull_request.number }}
      REPO: ${{ github.repository }}
    steps:
"""
    + f"      - uses: {_CHECKOUT}\n"
    + """\
        with:  # the pull request merged into its base; no token left in .git/config
          fetch-depth: 0
          lfs: @LFS@
          persist-credentials: false
"""
    + _INSTALL
    + """\
      - name: Check the product files
        run: ecomgit check
      - name: Describe the changes
        if: ${{ !cancelled() }}
        run: |
          ecomgit diff "$BASE" HEAD --markdown --link-base "$LINK_BASE" > ecomgit-diff.md
          cat ecomgit-diff.md >> "$GITHUB_STEP_SUMMARY"
      - name: Check old prices against the 30-day low
        if: ${{ !cancelled() }}
        run: |
          status=0
          ecomgit check --prices --base "$BASE" --markdown > ecomgit-prices.md || status=$?
          cat ecomgit-prices.md >> ecomgit-diff.md
          cat ecomgit-prices.md >> "$GITHUB_STEP_SUMMARY"
          exit $status
      - name: Comment on the pull request
        if: ${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository }}
        env:
          GH_TOKEN: ${{ github.token }}
        run: |
          id=$(gh api "repos/$REPO/issues/$PR/comments" --paginate \\
            --jq '[.[] | select(.body | startswith("<!-- ecomgit-diff -->"))] | last | .id // empty' | tail -n 1)
          if [ -n "$id" ]; then
            gh api --method PATCH "repos/$REPO/issues/comments/$id" -F body=@ecomgit-diff.md > /dev/null
          else
            gh pr comment "$PR" --body-file ecomgit-diff.md
          fi
"""
)

_DRILL = (
    """\
# ecomgit: every week (and on demand), prove that products come back after Lightspeed Retail's
# destructive actions: 'ecomgit drill' plays Delete from eCom, a merge and add-to-matrix on a sample
# of this mirror's products in the built-in emulator, restores each as the README says and compares
# it with the mirror, field by field. The table goes to the run's summary; a kind restored below
# 100 % fails the run. Never calls the shop: no credentials are given to this workflow.
# Written by 'ecomgit init --ci github'; yours to edit.
name: ecomgit drill
on:
  schedule:
    - cron: "17 4 * * 1"
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: ecomgit-drill
  cancel-in-progress: true
jobs:
  drill:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
"""
    + f"      - uses: {_CHECKOUT}\n"
    + """\
        with:
          ref: @BRANCH@
          fetch-depth: 0  # the drill reads the history: the last synced state
          lfs: @LFS@
          persist-credentials: false
"""
    + _INSTALL
    + """\
      - name: Drill the restore
        run: |
          status=0
          ecomgit drill > ecomgit-drill.txt || status=$?
          { echo '## ecomgit drill'; echo; echo '```'; cat ecomgit-drill.txt; echo '```'; } >> "$GITHUB_STEP_SUMMARY"
          cat ecomgit-drill.txt
          exit "$status"
"""
)
