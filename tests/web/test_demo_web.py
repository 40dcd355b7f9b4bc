"""``ecomgit demo`` ends by pointing at ``ecomgit web``, and that page tells the demo's story: the
deletion, the successor, the restore."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ecomgit.demo import run_demo
from ecomgit.lost import find_lost
from ecomgit.web.app import make_app

pytestmark = pytest.mark.e2e  # the demo runs the emulator on a socket


def test_the_demo_points_at_the_web_view_which_shows_the_story(tmp_path: Path) -> None:
    said: list[str] = []
    repo = run_demo(tmp_path / "demo", said.append)
    assert f"cd {tmp_path / 'demo'} && ecomgit web --open" in said[-1]
    [restored, *_] = find_lost(repo, "nl", include_restored=True)
    assert restored.restored_as is not None
    with TestClient(make_app(repo)) as web:
        lost = web.get("/lost").text
        assert f"restored as {restored.restored_as}" in lost  # the deletion and where it came back
        successor = web.get(f"/product/{restored.restored_as}").text
        assert 'badge kind">restore' in successor and 'badge kind">sync' in successor  # the restore, in its timeline
        assert "restored" in web.get("/").text
