"""A mirror any tool can read (issue 16 item 6): every file is standard YAML that PyYAML reads as
ecomgit does, CRLF text included; a mirror an earlier version wrote with the ``!crlf`` tag is
written again in the standard form by the next sync, once, with the same content."""

from __future__ import annotations

from pathlib import Path

import yaml

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.mirror import files, layout, yamlio
from ecomgit.shop import Repo
from ecomgit.sync.engine import RESTYLED
from ecomgit.sync.run import run_sync
from tests.write.conftest import as_an_older_version_wrote_it

GRAVEL = "72418301-wadden-grx-gravelbike"  # CRLF content in both languages


def mirror_files(root: Path) -> list[Path]:
    return sorted(p for folder in ("products", "shop") for p in (root / folder).rglob("*.yaml"))


def test_a_standard_yaml_reader_reads_every_file_as_ecomgit_does(synced: Repo) -> None:
    paths = mirror_files(synced.root)
    assert len(paths) > 30
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert yaml.safe_load(text) == yamlio.load(text, str(path)), path
    content = files.read_product(synced.root / "products" / GRAVEL / layout.PRODUCT_FILE)["content"]
    assert all("\r\n" in text for text in content.values())


def as_the_tag_wrote_it(path: Path) -> None:
    """The CRLF texts of a product file as ecomgit wrote them before: ``!crlf`` literal blocks."""
    product = files.read_product(path)
    for lang, text in (product.get("content") or {}).items():
        if "\r\n" not in text or text.endswith("\r\n") or text.startswith(" "):
            continue  # (a text a plain |- block does not hold: not needed here)
        lines = path.read_text(encoding="utf-8").split("\n")
        start = lines.index(next(line for line in lines if line.startswith(f'  {lang}: "')))
        end = next(k for k in range(start, len(lines)) if not lines[k].endswith("\\"))
        block = [f"  {lang}: !crlf |-", *(f"    {line}" if line else "" for line in text.split("\r\n"))]
        lines[start : end + 1] = block
        path.write_text("\n".join(lines), encoding="utf-8")
    assert files.read_product(path) == product


def test_the_next_sync_writes_the_tagged_files_again_once(synced: Repo, client: ShopClient) -> None:
    before = {p: files.read_yaml(p) for p in mirror_files(synced.root)}
    as_an_older_version_wrote_it(synced, as_the_tag_wrote_it, {RESTYLED: ""})  # its state never restyled
    tagged = [p for p in mirror_files(synced.root) if "!crlf" in p.read_text(encoding="utf-8")]
    assert len(tagged) >= 3
    summary = run_sync(synced, client)
    assert summary.restyled == len(tagged) and summary.commit is not None and not summary.changes
    message = gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert f"Standard YAML: {len(tagged)} file(s) with CRLF text written without the !crlf tag" in message
    for path in mirror_files(synced.root):
        text = path.read_text(encoding="utf-8")
        assert "!crlf" not in text and yaml.safe_load(text) == before[path], path
    assert run_sync(synced, client).commit is None  # once


def test_a_tagged_file_that_does_not_read_is_left_and_tried_again(synced: Repo, client: ShopClient) -> None:
    as_an_older_version_wrote_it(synced, as_the_tag_wrote_it, {RESTYLED: ""})
    broken = synced.root / "products" / GRAVEL / layout.PRODUCT_FILE
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "A broken edit")
    summary = run_sync(synced, client)
    assert summary.restyled >= 2 and "!crlf" in broken.read_text(encoding="utf-8")
    broken.write_text(broken.read_text(encoding="utf-8").replace("oops: [\n", ""), encoding="utf-8")
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "Fixed")
    assert run_sync(synced, client).restyled == 1 and "!crlf" not in broken.read_text(encoding="utf-8")
