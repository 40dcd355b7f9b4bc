"""``ecomgit init --ci github``: the workflow files parsed, and their ``run:`` steps executed here,
in order and with GitHub's step semantics, against the emulator over a real socket.

What GitHub itself provides is stood in for: ``actions/checkout`` by a ``git clone`` of a bare
"origin" repository (the pull request's merge commit made the way GitHub makes it), the ``gh``
CLI by a script that records the comment, ``${{ }}`` expressions by the values GitHub would
give. The ``uses:`` steps (checkout, setup-python, cache) and the pip install are the only steps
not executed; the ecomgit on PATH is this checkout's.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ecomgit import gitrepo
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.server import running
from ecomgit.mirror import files, layout

pytestmark = pytest.mark.e2e

KEY = "ci-key-0123456789abcdef0123456789"
SECRET = "ci-secret-never-printed-0123456789abcdef"
# what the workflows install (an editable install names none: init --ci asks for it)
PACKAGE = "git+https://example.test/ecomgit.git@" + "0123456789abcdef0123" * 2
KUSTWEG = 72418339
WORKFLOWS = ("ecomgit-sync.yml", "ecomgit-push.yml", "ecomgit-review.yml")


def ecomgit(
    tools: Path, *args: str, cwd: Path | None = None, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI as the merchant runs it on their machine, credentials in the environment, the tools
    (a stand-in git-lfs among them) on PATH, or only ``path``."""
    env = {**os.environ, "ECOMGIT_API_KEY": KEY, "ECOMGIT_API_SECRET": SECRET}
    env["PATH"] = path if path is not None else f"{tools}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run([tools / "ecomgit", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def load(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def shop_url(sample_shop: bytes) -> Iterator[tuple[str, EmulatorApp]]:
    app = EmulatorApp(pickle.loads(sample_shop), api_key=KEY, api_secret=SECRET, rate_limit=None)
    with running(app) as url:
        yield url, app


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A PATH folder with this checkout's ecomgit, a stand-in ``gh`` that records comments and a
    stand-in ``git-lfs``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "ecomgit").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ecomgit "$@"\n')
    # 'git lfs version' answers; nothing else is asked of it here (no 'git lfs install' ran)
    (folder / "git-lfs").write_text('#!/bin/sh\necho "git-lfs/3.4.1 (stand-in)"\n')
    (folder / "gh").write_text(
        "#!/bin/sh\n"
        'echo "$@" >> "$GH_LOG"\n'
        'if [ "$1" = pr ] && [ "$2" = comment ]; then cp "$5" "$GH_COMMENT"; fi\n'
        "exit 0\n"  # 'gh api …/comments': no earlier comment
    )
    for tool in folder.iterdir():
        tool.chmod(0o755)
    return folder


class Runner:
    """Runs one job's steps as GitHub does: a failed step skips the rest unless ``if: !cancelled()``."""

    def __init__(self, tools: Path, tmp: Path, context: Mapping[str, str]) -> None:
        self.tools, self.tmp, self.context = tools, tmp, context
        self.summary = tmp / "step-summary.md"

    def expand(self, text: str) -> str:
        def value(found: re.Match[str]) -> str:
            expr = found.group(1).strip()
            assert expr in self.context, f"the test does not know the expression {expr!r}"
            return self.context[expr]

        return re.sub(r"\$\{\{(.*?)\}\}", value, text)

    def run(
        self, workflow: dict[str, Any], cwd: Path, after: Mapping[str, Callable[[], None]] | None = None
    ) -> dict[str, int | str]:
        """Run the job's steps; ``after[name]()`` is called once step ``name`` has run (what
        happens elsewhere meanwhile, e.g. a pull request merged while a sync runs)."""
        [job] = workflow["jobs"].values()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("ECOMGIT_")},  # only what the job gives
            # but for this: the loopback emulator stands in for api.webshopapp.com, which needs no trust
            "ECOMGIT_TRUSTED_API_HOST": "127.0.0.1",
            "PATH": f"{self.tools}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GH_LOG": str(self.tmp / "gh.log"),
            "GH_COMMENT": str(self.tmp / "comment.md"),
            **{k: self.expand(str(v)) for k, v in job.get("env", {}).items()},
        }
        outcome: dict[str, int | str] = {}
        by_id: dict[str, str] = {}  # steps.<id>.outcome
        self.outputs: dict[str, dict[str, str]] = {}  # steps.<id>.outputs, from each step's $GITHUB_OUTPUT
        failed = False
        for step in job["steps"]:
            name = step.get("name") or step["uses"]
            runs = self.runs(str(step.get("if", "")), failed, by_id)
            if "uses" in step or name == "Install ecomgit" or not runs:
                outcome[name] = "skipped" if not runs else "not executed here"
                by_id[step.get("id", name)] = "skipped" if not runs else "success"
                continue
            assert "${{" not in step["run"], f"step {name!r} expands an expression inside its script"
            output = self.tmp / f"output-{len(by_id)}"
            output.write_text("")
            step_env = {**env, **{k: self.expand(str(v)) for k, v in step.get("env", {}).items()}}
            step_env["GITHUB_OUTPUT"] = str(output)
            # GitHub gives every job a temp folder of its own: without one, two tests' steps running at
            # once would share /tmp's files (a flake: one run read the other's half-written JSON)
            step_env["RUNNER_TEMP"] = str(self.tmp)
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=cwd,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            (self.tmp / f"{name}.log").write_text(proc.stdout + proc.stderr)
            assert SECRET not in proc.stdout + proc.stderr
            outcome[name] = proc.returncode
            by_id[step.get("id", name)] = "success" if proc.returncode == 0 else "failure"
            pairs = (line.partition("=") for line in output.read_text().splitlines() if "=" in line)
            self.outputs[step.get("id", name)] = {key: value for key, _, value in pairs}
            failed = failed or proc.returncode != 0
            if after and name in after:
                after[name]()
        return outcome

    def runs(self, condition: str, failed: bool, by_id: Mapping[str, str]) -> bool:
        """A step's ``if:`` as GitHub decides it (the forms the workflows use)."""
        if not condition:
            return not failed
        after = re.fullmatch(r"\$\{\{ !cancelled\(\) && steps\.(\w+)\.outcome == 'success' \}\}", condition)
        if after:
            return by_id.get(after[1]) == "success"
        either = re.fullmatch(
            r"\$\{\{ !cancelled\(\) && \(steps\.(\w+)\.outcome == 'success' \|\| "
            r"steps\.(\w+)\.outputs\.(\w+) == '(\w+)'\) \}\}",
            condition,
        )
        if either:
            said = self.outputs.get(either[2], {}).get(either[3])
            return by_id.get(either[1]) == "success" or said == either[4]
        return self.expand(condition) in ("true", "!cancelled()")


def context(**extra: str) -> dict[str, str]:
    # The expressions as GitHub evaluates them; '!cancelled()' stays as written (the runner knows it).
    return {
        "secrets.ECOMGIT_API_KEY": KEY,
        "secrets.ECOMGIT_API_SECRET": SECRET,
        f"vars.ECOMGIT_PACKAGE || '{PACKAGE}'": PACKAGE,
        "!cancelled()": "!cancelled()",
        "github.token": "gh-token",
        **extra,
    }


def published_mirror(tmp_path: Path, tools: Path, url: str) -> tuple[Path, Path]:
    """A bare origin and the admin's mirror made with 'init --ci github', pushed to it."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    admin = tmp_path / "admin"
    assert ecomgit(tools, "init", str(admin), "--api-url", url, "--ci", "github", "--package", PACKAGE).returncode == 0
    git(admin, "remote", "add", "origin", str(origin))
    git(admin, "push", "--quiet", "origin", "main")
    return origin, admin


def test_the_workflow_files(tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path) -> None:
    url, _ = shop_url
    repo = tmp_path / "mirror"
    out = ecomgit(tools, "init", str(repo), "--api-url", url, "--ci", "github", "--package", PACKAGE).stdout
    assert "ECOMGIT_API_KEY and ECOMGIT_API_SECRET" in out
    assert git(repo, "status", "--porcelain") == ""  # all committed with the config
    flows = {name: load(repo / ".github/workflows" / name) for name in WORKFLOWS}
    sync, push, review = flows.values()
    # issue 17 item 2: a quick sync every 10 minutes, a full one every 6 hours
    assert [s["cron"] for s in sync["on"]["schedule"]] == ["*/10 * * * *", "7 */6 * * *"]
    assert "workflow_dispatch" in sync["on"]
    assert push["on"]["push"] == {"branches": ["main"], "paths": ["products/**"]}
    paths = ["products/**", ".ecomgit/**", ".gitattributes", "**/.gitattributes"]
    assert review["on"]["pull_request"]["paths"] == paths
    # sync and push are one queue: never two writers; reviews of one pull request replace each other
    assert sync["concurrency"] == push["concurrency"] == {"group": "ecomgit-shop", "cancel-in-progress": False}
    assert review["concurrency"]["cancel-in-progress"] is True
    assert push["permissions"] == {"contents": "write"}
    assert sync["permissions"] == {"contents": "write", "pull-requests": "write"}  # lost content proposed back
    assert review["permissions"] == {"contents": "read", "pull-requests": "write"}
    for name, flow in flows.items():
        [job] = flow["jobs"].values()
        text = (repo / ".github/workflows" / name).read_text()
        secrets = set(re.findall(r"secrets\.(\w+)", text))
        if name == "ecomgit-review.yml":
            assert not secrets  # pull requests (also from forks) never see shop credentials
        else:
            assert secrets == {"ECOMGIT_API_KEY", "ECOMGIT_API_SECRET"}
            assert "ECOMGIT_API_KEY" not in job["env"]  # only the steps that call the shop get them
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), (name, step)
        checkout = job["steps"][0]
        assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    [sync_job] = sync["jobs"].values()
    names = [step.get("name") for step in sync_job["steps"]]
    assert names.index("Restore the sync state") < names.index("Sync") < names.index("Push edits still pending")
    assert sync_job["steps"][-1]["uses"].startswith("actions/cache/save@")
    # running 'ecomgit init --ci github' again keeps the user's edits
    (repo / ".github/workflows/ecomgit-sync.yml").write_text("# mine\n")
    again = ecomgit(tools, "init", "--ci", "github", "--package", PACKAGE, cwd=repo)
    assert again.returncode == 0 and "kept (already there) .github/workflows/ecomgit-sync.yml" in again.stdout
    assert (repo / ".github/workflows/ecomgit-sync.yml").read_text() == "# mine\n"


def test_the_workflows_run_sync_review_and_push(tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path) -> None:
    url, app = shop_url
    origin, admin = published_mirror(tmp_path, tools, url)
    flows = {name: load(admin / ".github/workflows" / name) for name in WORKFLOWS}
    full = {"github.event.repository.default_branch": "main", "github.run_id": "1", "github.event.schedule": ""}
    branch = context(**full)

    # the sync run by hand (a full one): a fresh checkout, sync, publish, nothing pending to push
    runner = tmp_path / "run-sync"
    git(tmp_path, "clone", "--quiet", str(origin), str(runner))
    outcome = Runner(tools, tmp_path, branch).run(flows["ecomgit-sync.yml"], runner)
    assert {name: code for name, code in outcome.items() if isinstance(code, int)} == {
        "Sync": 0,
        "Publish the commits": 0,
        "Push edits still pending": 0,
        "Propose lost content back": 0,
    }
    assert "Nothing to push" in (tmp_path / "Push edits still pending.log").read_text()
    log = git(origin, "log", "--format=%s%n%b", "main")
    assert "Sync: 28 new" in log and "Ecomgit-Sync:" in log
    assert "Quick sync" not in (tmp_path / "Sync.log").read_text()

    # the quick schedule's run asks the shop what changed (the state comes from the cache)
    product = app.shop.products[KUSTWEG]
    product.texts["nl"]["content"] = "<p>Bijgewerkt in de backoffice.</p>"
    app.shop.touch_product(product)
    cached = runner / ".git/ecomgit/sync.db"  # what the cache steps keep between runs (skipped here)
    runner = tmp_path / "run-quick"
    git(tmp_path, "clone", "--quiet", str(origin), str(runner))
    (runner / ".git/ecomgit").mkdir(parents=True, exist_ok=True)
    shutil.copy(cached, runner / ".git/ecomgit/sync.db")
    quick = context(**{**full, "github.event.schedule": "*/10 * * * *", "github.run_id": "2"})
    outcome = Runner(tools, tmp_path, quick).run(flows["ecomgit-sync.yml"], runner)
    assert outcome["Sync"] == 0 and outcome["Publish the commits"] == 0
    said = (tmp_path / "Sync.log").read_text()
    assert "Quick sync: the products and variants changed since " in said and "1 changed" in said
    assert "Bijgewerkt in de backoffice." in git(origin, "show", "main")

    # a pull request edits copy; the review posts the changes in words
    dev = tmp_path / "dev"
    git(tmp_path, "clone", "--quiet", str(origin), str(dev))
    git(dev, "checkout", "--quiet", "-b", "copy-edit")
    [folder] = [p for p in (dev / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{KUSTWEG}-")]
    product = files.read_product(folder / layout.PRODUCT_FILE)
    new_text = product["description"]["en"] + " Now with a free bike fit."
    product["description"]["en"] = new_text
    files.write_product(folder / layout.PRODUCT_FILE, product, ["nl", "en"])
    git(dev, "commit", "--quiet", "-am", "Copy: bike fit")
    git(dev, "push", "--quiet", "origin", "copy-edit")
    review = tmp_path / "run-review"  # GitHub checks out refs/pull/N/merge: the branch merged into main
    git(tmp_path, "clone", "--quiet", str(origin), str(review))
    base = git(review, "rev-parse", "origin/main").strip()
    head = git(review, "rev-parse", "origin/copy-edit").strip()
    git(review, "merge", "--quiet", "--no-ff", "-m", "Merge copy-edit into main", "origin/copy-edit")
    pull_request = context(
        **{
            "github.event.pull_request.base.sha": base,
            "github.event.pull_request.head.sha": head,
            "github.event.pull_request.number": "7",
            "github.server_url": "https://github.com",
            "github.repository": "acme/shop",
            "github.token": "gh-token",
            "!cancelled() && github.event.pull_request.head.repo.full_name == github.repository": "true",
        }
    )
    outcome = Runner(tools, tmp_path, pull_request).run(flows["ecomgit-review.yml"], review)
    assert outcome["Check the product files"] == outcome["Describe the changes"] == 0
    assert outcome["Comment on the pull request"] == 0 and outcome["Check old prices against the 30-day low"] == 0
    comment = (tmp_path / "comment.md").read_text()
    assert "### Old prices and the 30-day low" in comment and "sets or raises no old price" in comment
    assert comment.startswith("<!-- ecomgit-diff -->")
    assert f"(https://github.com/acme/shop/blob/{head}/products/{folder.name}/product.yaml)" in comment
    assert "| description \\[en\\] | … for your first sportive. <ins>Now with a free bike fit.</ins> |" in comment
    assert "pr comment 7 --body-file ecomgit-diff.md" in (tmp_path / "gh.log").read_text()
    assert comment in (tmp_path / "step-summary.md").read_text()

    # a broken file in a pull request fails the check, and the summary is still written
    path = review / layout.PRODUCTS_DIR / folder.name / layout.PRODUCT_FILE
    path.write_text(path.read_text().replace("visibility: visible", "visibility: everywhere"))
    git(review, "commit", "--quiet", "-am", "Broken")
    outcome = Runner(tools, tmp_path, pull_request).run(flows["ecomgit-review.yml"], review)
    assert outcome["Check the product files"] == 1 and outcome["Describe the changes"] == 0
    assert "visibility" in (tmp_path / "Check the product files.log").read_text()

    # the pull request is merged: the push workflow sends the edit to the shop and records it
    git(dev, "checkout", "--quiet", "main")
    git(dev, "merge", "--quiet", "--no-ff", "-m", "Merge pull request #7", "copy-edit")
    git(dev, "push", "--quiet", "origin", "main")
    runner = tmp_path / "run-push"
    git(tmp_path, "clone", "--quiet", str(origin), str(runner))
    outcome = Runner(tools, tmp_path, branch).run(flows["ecomgit-push.yml"], runner)
    assert {name: code for name, code in outcome.items() if isinstance(code, int)} == {
        "Check the product files": 0,
        "Push to the shop": 0,
        "Publish the commits": 0,
    }
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == new_text
    assert "Ecomgit-Push:" in git(origin, "log", "-1", "--format=%b", "main")
    assert gitrepo.dirty_paths(runner, ["products", "shop"]) == []


def test_init_lfs_in_a_mirror_with_workflows_updates_their_settings(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    """Issue 15 item 3: before, the workflows were 'kept (already there)' with lfs: false."""
    url, _ = shop_url
    repo = tmp_path / "mirror"
    assert ecomgit(tools, "init", str(repo), "--api-url", url, "--ci", "github", "--package", PACKAGE).returncode == 0
    sync = repo / ".github/workflows/ecomgit-sync.yml"
    sync.write_text(sync.read_text().replace('cron: "7 */6 * * *"', 'cron: "0 * * * *"  # hourly: mine'))
    git(repo, "commit", "-qam", "Sync hourly")
    other = "git+https://example.test/ecomgit.git@" + "f" * 40
    done = ecomgit(tools, "init", "--lfs", "--ci", "github", "--package", other, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (
        "updated .github/workflows/ecomgit-sync.yml: lfs: false → true; installs "
        f"{other} (was {PACKAGE}) (the rest of it kept as it is)"
    ) in done.stdout
    text = sync.read_text()
    assert "lfs: true" in text and "lfs: false" not in text and f"|| '{other}'" in text
    assert 'cron: "0 * * * *"  # hourly: mine' in text  # the owner's edit stays
    assert git(repo, "status", "--porcelain") == ""  # committed


def test_init_lfs_without_git_lfs_says_how_to_install_it_and_changes_nothing(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    url, _ = shop_url
    repo = tmp_path / "mirror"
    assert ecomgit(tools, "init", str(repo), "--api-url", url).returncode == 0
    head = git(repo, "rev-parse", "HEAD")
    bare = tmp_path / "bare-bin"  # git, and no git-lfs
    bare.mkdir()
    (bare / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    done = ecomgit(tools, "init", "--lfs", cwd=repo, path=str(bare))
    assert done.returncode == 1 and "--lfs needs git-lfs, which is not on PATH here: install it" in done.stderr
    assert git(repo, "rev-parse", "HEAD") == head and "lfs" not in (repo / ".gitattributes").read_text()


def test_init_lfs_and_a_clone_set_up(tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path) -> None:
    url, _ = shop_url
    repo = tmp_path / "mirror"
    assert ecomgit(tools, "init", str(repo), "--api-url", url).returncode == 0
    attributes = (repo / ".gitattributes").read_text()
    assert "products/*/product.yaml text eol=lf diff=ecomgit-product" in attributes
    assert "products/*/images/** binary" in attributes
    done = ecomgit(tools, "init", "--lfs", cwd=repo)
    assert done.returncode == 0
    attributes = (repo / ".gitattributes").read_text()
    assert "products/*/images/** filter=lfs diff=lfs merge=lfs -text" in attributes
    assert attributes.count("products/*/images/**") == 1
    assert "Git LFS for images" in git(repo, "log", "-1", "--format=%s")
    # a fresh clone gets the diff driver from 'ecomgit init' in it: hunk headers name the field
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(repo), str(clone))
    assert ecomgit(tools, "sync", cwd=repo).returncode == 0
    git(clone, "pull", "--quiet")
    assert ecomgit(tools, "init", cwd=clone).returncode == 0
    [folder] = [p for p in (clone / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{KUSTWEG}-")]
    text = (folder / layout.PRODUCT_FILE).read_text()
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("variants:"))
    at = next(i for i in range(at, len(lines)) if lines[i].startswith("  priceIncl:"))
    lines[at] = "  priceIncl: 1"
    (folder / layout.PRODUCT_FILE).write_text("\n".join(lines) + "\n")
    hunk = next(line for line in git(clone, "diff").splitlines() if line.startswith("@@"))
    assert re.search(r"@@ - id: \d+$", hunk), hunk


def test_the_sync_schedule_is_chosen_at_init(tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path) -> None:
    url, _ = shop_url
    repo = tmp_path / "mirror"
    made = ecomgit(tools, "init", str(repo), "--api-url", url, "--ci", "github", "--package", PACKAGE,
                   "--quick-every", "off", "--full-every", "1h")  # fmt: skip
    assert made.returncode == 0, made.stderr
    sync = load(repo / ".github/workflows/ecomgit-sync.yml")
    assert [s["cron"] for s in sync["on"]["schedule"]] == ["7 * * * *"]
    assert "a full sync every hour" in (repo / ".github/workflows/ecomgit-sync.yml").read_text()
    for option, value in (("--quick-every", "2m"), ("--full-every", "5h"), ("--quick-every", "often")):
        refused = ecomgit(tools, "init", str(tmp_path / option / value), "--api-url", url, "--ci", "github",
                          "--package", PACKAGE, option, value)  # fmt: skip
        assert refused.returncode in (1, 2) and option in refused.stderr and not (tmp_path / option / value).exists()


def test_the_sync_workflow_proposes_lost_content_back(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    """Issue 17 item 3: Retail deletes a product and publishes the item again; the next scheduled
    sync records the deletion and opens a pull request restoring the content onto the successor."""
    from ecomgit.emulator import retail

    url, app = shop_url
    origin, admin = published_mirror(tmp_path, tools, url)
    flow = load(admin / ".github/workflows/ecomgit-sync.yml")
    by_hand = context(**{"github.run_id": "1", "github.event.schedule": ""})
    first = tmp_path / "run-1"
    git(tmp_path, "clone", "--quiet", str(origin), str(first))
    assert Runner(tools, tmp_path, by_hand).run(flow, first)["Propose lost content back"] == 0
    gh_log = tmp_path / "gh.log"
    assert not gh_log.exists() or "pr create" not in gh_log.read_text()  # nothing lost: nothing proposed

    app.shop.info.is_retail = True
    skus = [v.sku for v in app.shop.products[KUSTWEG].variants]
    retail.delete_from_ecom(app.shop, KUSTWEG)
    successor = retail.publish(app.shop, skus)
    second = tmp_path / "run-2"
    git(tmp_path, "clone", "--quiet", str(origin), str(second))
    outcome = Runner(tools, tmp_path, {**by_hand, "github.run_id": "2"}).run(flow, second)
    assert outcome["Sync"] == 0 and outcome["Propose lost content back"] == 0, (tmp_path / "Sync.log").read_text()
    branch = f"ecomgit/restore-{KUSTWEG}"
    assert git(origin, "branch", "--list", branch).strip().endswith(branch)
    log = gh_log.read_text()
    assert f"pr list --head {branch} --state all" in log
    assert f"pr create --base main --head {branch} --title Restore lost content: {branch} --body-file" in log
    assert f"Ecomgit-Restored: {KUSTWEG} -> {successor}" in git(origin, "log", "-1", "--format=%B", branch)
    assert app.shop.products[successor].texts["nl"]["description"] == ""  # nothing written before the review


def test_the_weekly_drill_gets_no_credentials_and_writes_its_table(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    url, _ = shop_url
    origin, admin = published_mirror(tmp_path, tools, url)
    text = (admin / ".github/workflows/ecomgit-drill.yml").read_text()
    drill = load(admin / ".github/workflows/ecomgit-drill.yml")
    assert not re.findall(r"secrets\.", text) and "ECOMGIT_API" not in text  # the drill never calls the shop
    assert [s["cron"] for s in drill["on"]["schedule"]] == ["17 4 * * 1"] and "workflow_dispatch" in drill["on"]
    assert drill["permissions"] == {"contents": "read"}
    [job] = drill["jobs"].values()
    assert "env" not in job and all(set(step.get("env", {})) <= {"PACKAGE"} for step in job["steps"])
    assert job["steps"][0]["with"]["persist-credentials"] is False
    assert ecomgit(tools, "sync", cwd=admin).returncode == 0
    runner = tmp_path / "run-drill"
    git(tmp_path, "clone", "--quiet", str(admin), str(runner))
    job["steps"][-1]["run"] = job["steps"][-1]["run"].replace("ecomgit drill", "ecomgit drill --sample 2 --min 0")
    outcome = Runner(tools, tmp_path, context()).run(drill, runner)
    assert outcome["Drill the restore"] == 0, (tmp_path / "Drill the restore.log").read_text()
    summary = (tmp_path / "step-summary.md").read_text()
    assert "## ecomgit drill" in summary and "Delete from eCom" in summary and "description" in summary
