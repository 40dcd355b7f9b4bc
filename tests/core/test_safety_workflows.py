"""The generated workflows give the shop's credentials only to the steps that call the shop, run only
pinned third-party code, review config changes, and keep the sync state only after a sync that
finished or stopped cleanly at a limit (issue 12, items 12, 13 and 18; issue 23, item 21)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ecomgit import ci
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from tests.core.test_ci_workflows import (
    KUSTWEG,
    PACKAGE,
    WORKFLOWS,
    Runner,
    context,
    ecomgit,
    git,
    load,
    shop_url,
    tools,
)

__all__ = ["shop_url", "tools"]  # fixtures, used by name

SHOP_STEPS = {  # each step's first command (the sync step also asks 'ecomgit status' how it stopped)
    ("ecomgit-sync.yml", "Sync"): (
        'ecomgit sync $([ "$SCHEDULE" = "$QUICK_SCHEDULE" ] && echo --quick) --max-time 40m --max-wait 10m || {'
    ),
    ("ecomgit-sync.yml", "Push edits still pending"): "ecomgit push --yes",
    ("ecomgit-push.yml", "Push to the shop"): "ecomgit push --yes",
}
SAVE = "Keep the sync state for the next run"


def workflows() -> dict[str, str]:
    return ci.github_workflows("main", lfs=False, package=PACKAGE)


def parsed() -> dict[str, dict[str, Any]]:
    return {name: YAML(typ="safe").load(text) for name, text in workflows().items()}


def steps() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(workflow, job, step) for every step."""
    return [
        (name, job, step) for name, flow in parsed().items() for job in flow["jobs"].values() for step in job["steps"]
    ]


def secret_names(env: dict[str, Any] | None) -> set[str]:
    return {key for key, value in (env or {}).items() if re.search(r"\$\{\{\s*(secrets|github\.token)", str(value))}


def test_no_job_holds_a_secret_in_its_environment() -> None:
    for name, flow in parsed().items():
        for job in flow["jobs"].values():
            assert secret_names(job.get("env")) == set(), name


def test_only_the_steps_that_call_the_shop_get_its_credentials() -> None:
    given = {}
    for name, job, step in steps():
        env = {**(job.get("env") or {}), **(step.get("env") or {})}  # what the step's processes see
        if secret_names(env) & {"ECOMGIT_API_KEY", "ECOMGIT_API_SECRET"}:
            commands = [line.strip() for line in step.get("run", "").splitlines() if not line.strip().startswith("#")]
            given[(name, step.get("name"))] = commands[0]
    assert given == SHOP_STEPS
    for name, _ in SHOP_STEPS:
        install = [s for n, _, s in steps() if n == name and s.get("name") == "Install ecomgit"]
        assert install and "secrets." not in str(install[0].get("env")), "pip runs a package's code: no secrets"


def test_the_review_token_reaches_only_the_comment_step() -> None:
    with_token = [
        step.get("name")
        for name, job, step in steps()
        if secret_names({**(job.get("env") or {}), **(step.get("env") or {})})
    ]
    assert "Check the product files" not in with_token and "Describe the changes" not in with_token
    review = [s for n, _, s in steps() if n == "ecomgit-review.yml"]
    assert review[0]["with"]["persist-credentials"] is False  # the pull request's code runs after it


def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment() -> None:
    used = 0
    for name, text in workflows().items():
        for line in text.splitlines():
            found = re.match(r"\s*(?:- )?uses: (\S+)(.*)$", line)
            if found is None:
                continue
            used += 1
            action, comment = found.groups()
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), (name, line)
            assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (name, line)
    assert used == 4 + 4 + 2 + 2  # sync, push, review, drill


def test_the_review_runs_on_config_and_attribute_changes() -> None:
    review = parsed()["ecomgit-review.yml"]
    assert {".ecomgit/**", ".gitattributes"} <= set(review["on"]["pull_request"]["paths"])


# -- the state is saved only after a sync that finished (or stopped cleanly: below) -----------------


def setup_origin(tmp_path: Path, url: str, tools: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    admin = tmp_path / "admin"
    assert ecomgit(tools, "init", str(admin), "--api-url", url, "--ci", "github", "--package", PACKAGE).returncode == 0
    assert ecomgit(tools, "sync", cwd=admin).returncode == 0
    git(admin, "remote", "add", "origin", str(origin))
    git(admin, "push", "--quiet", "origin", "main")
    return origin, {name: load(admin / ".github/workflows" / name) for name in WORKFLOWS}


def run_sync_workflow(tmp_path: Path, tools: Path, origin: Path, flow: dict[str, Any], **extra: str) -> dict[str, Any]:
    runner = tmp_path / f"run-{len(list(tmp_path.glob('run-*')))}"
    git(tmp_path, "clone", "--quiet", str(origin), str(runner))
    values = context(**{"github.run_id": "1", "github.event.schedule": "", **extra})
    return Runner(tools, tmp_path, values).run(flow, runner)


def test_a_sync_that_failed_does_not_save_the_state(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    url, _ = shop_url
    origin, flows = setup_origin(tmp_path, url, tools)
    outcome = run_sync_workflow(
        tmp_path, tools, origin, flows["ecomgit-sync.yml"], **{"secrets.ECOMGIT_API_SECRET": "x" * 40}
    )
    assert outcome["Sync"] == 1 and outcome["Push edits still pending"] == "skipped"
    assert outcome[SAVE] == "skipped"


def test_a_push_that_failed_after_a_finished_sync_still_saves_it(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    """The state a failed push leaves is consistent, and holds its record of what it wrote: kept."""
    url, app = shop_url
    origin, flows = setup_origin(tmp_path, url, tools)
    dev = tmp_path / "dev"
    git(tmp_path, "clone", "--quiet", str(origin), str(dev))
    [folder] = [p for p in (dev / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{KUSTWEG}-")]
    product = files.read_product(folder / layout.PRODUCT_FILE)
    product["description"]["en"] += " Edited."
    files.write_product(folder / layout.PRODUCT_FILE, product, ["nl", "en"])
    git(dev, "commit", "--quiet", "-am", "Copy edit")
    git(dev, "push", "--quiet", "origin", "main")
    app.read_only = True  # the key lost its write permission: the push is refused with 403
    outcome = run_sync_workflow(tmp_path, tools, origin, flows["ecomgit-sync.yml"])
    assert outcome["Sync"] == 0 and outcome["Push edits still pending"] == 1
    assert outcome[SAVE] == "not executed here"  # i.e. it runs


# -- issue 23 item 21: a backlog larger than one run converges ------------------------------------------


def test_the_sync_stops_itself_inside_the_jobs_time_limit() -> None:
    [job] = parsed()["ecomgit-sync.yml"]["jobs"].values()
    [sync] = [step for step in job["steps"] if step.get("name") == "Sync"]
    minutes = {name: int(value) for name, value in re.findall(r"--(max-time|max-wait) (\d+)m", sync["run"])}
    assert minutes["max-wait"] <= minutes["max-time"] < job["timeout-minutes"] - 10  # room to publish and push
    # before: 'ecomgit sync' with the default --max-wait of 65 minutes in a 60-minute job


def test_a_sync_stopped_at_a_rate_limit_keeps_its_state_and_push_does_not_run(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    """The shop's daily window is spent: the sync stops cleanly (exit 1), says so, and the state it
    read is kept for the next run; the push step, which needs a finished sync, is skipped."""
    from ecomgit.emulator.ratelimit import RateLimiter

    url, app = shop_url
    origin, flows = setup_origin(tmp_path, url, tools)
    product = app.shop.products[KUSTWEG]
    product.texts["en"]["description"] = "Changed in the back office."
    app.shop.touch_product(product)
    noon = 1_780_000_000 - 1_780_000_000 % 86400 + 43200.0  # a fixed moment: the day resets in 12 h
    app.limiter = RateLimiter((1000, 1000, 8), lambda: noon)
    outcome = run_sync_workflow(tmp_path, tools, origin, flows["ecomgit-sync.yml"])
    assert outcome["Sync"] == 1 and outcome["Push edits still pending"] == "skipped"
    assert "daily request limit (8) is used up" in (tmp_path / "Sync.log").read_text()
    assert outcome[SAVE] == "not executed here"  # i.e. it runs: before, a stop at a limit was "failure" and skipped
    # a sync that failed otherwise (wrong credentials) still does not save it
    app.limiter = RateLimiter(None, lambda: noon)
    outcome = run_sync_workflow(
        tmp_path, tools, origin, flows["ecomgit-sync.yml"], **{"secrets.ECOMGIT_API_SECRET": "x" * 40}
    )
    assert outcome["Sync"] == 1 and outcome[SAVE] == "skipped"
