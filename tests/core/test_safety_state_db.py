"""A damaged ``.git/ecomgit/sync.db`` is named, with what to do; not "a bug in ecomgit" (issue 23, item 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import StateError
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.mainrun import run_main
from tests.write.conftest import KUSTWEG, edit, folder_of, push

LAMP = 72418448


def not_a_database(path: Path) -> None:
    path.write_bytes(b"this is not an SQLite file\n" * 200)


def malformed(path: Path) -> None:
    """The header is fine, the pages after it are zeroed (a disk or copy that lost them)."""
    data = bytearray(path.read_bytes())
    data[100:] = bytes(len(data) - 100)
    path.write_bytes(bytes(data))


def damage(repo: Repo, how: str) -> Path:
    path = repo.work_dir / "sync.db"
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    {"not a database": not_a_database, "malformed": malformed}[how](path)
    return path


@pytest.mark.parametrize("how", ["not a database", "malformed"])
def test_status_names_the_damaged_state_and_the_fix(
    synced: Repo, how: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = damage(synced, how)
    monkeypatch.chdir(synced.root)

    outcome = run_main(capsys, monkeypatch, "status")

    assert outcome.code == 1, outcome.text
    assert "a bug in ecomgit" not in outcome.text and "Traceback" not in outcome.text
    [line] = [line for line in outcome.err.splitlines() if str(path) in line]
    assert "damaged" in line and "deleting it is safe" in line and "full read" in line


@pytest.mark.parametrize("how", ["not a database", "malformed"])
def test_sync_and_push_name_it_and_a_deleted_state_is_rebuilt(
    synced: Repo, client: ShopClient, app: EmulatorApp, how: str
) -> None:
    path = damage(synced, how)
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Edited here."))

    for attempt in (lambda: run_sync(synced, client), lambda: push(synced, client)):
        with pytest.raises(StateError) as caught:
            attempt()
        assert caught.value.path == str(path)
    assert app.shop.products[KUSTWEG].texts["en"]["description"] != "Edited here."

    path.unlink()  # what the message says to do
    app.shop.products[LAMP].texts["en"]["description"] = "Changed in the shop."
    app.shop.touch_product(app.shop.products[LAMP])
    run_sync(synced, client)
    assert path.exists()
    assert "Changed in the shop." in (folder_of(synced, LAMP) / "product.yaml").read_text(encoding="utf-8")
    assert push(synced, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Edited here."
