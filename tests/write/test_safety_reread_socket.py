"""The prompt race for real: ``ecomgit push`` as a subprocess waits at its confirmation prompt
(on a terminal), a colleague edits the same field in the shop over the emulator's socket, then
the user answers ``y``. The push must refuse that product and leave the colleague's value.

No sleep: the edit is made once the prompt is on the terminal, the answer once the edit is
answered.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest

from ecomgit.api import ShopClient
from ecomgit.mirror import files, layout
from tests.reliability.harness import ECOMGIT, KEY, SECRET, Cli, emulator, isolated_env

pytestmark = pytest.mark.e2e

KUSTWEG = 72418339
PROMPT = "Write this to the shop?"
COLLEAGUE = "Typed in the back office while the prompt waited."


def test_a_shop_edit_while_push_waits_at_its_prompt_is_not_overwritten(tmp_path: Path) -> None:
    cli = Cli(isolated_env(tmp_path / "home"))
    with emulator(cli.env, tmp_path / "emulator.log", "--rate-limit", "off") as shop:
        repo = cli.init(shop.url, tmp_path / "shop")
        assert cli.run(["sync", "--quiet"], repo).returncode == 0
        path = next((repo / layout.PRODUCTS_DIR).glob(f"{KUSTWEG}-*")) / layout.PRODUCT_FILE
        product = files.read_product(path)
        product["description"]["en"] = "Ours, reviewed and merged."
        files.write_product(path, product, ["nl", "en"])
        cli.git(repo, "commit", "-qam", "Edit copy")
        answer, terminal = os.openpty()
        push = subprocess.Popen(
            [*ECOMGIT, "push"], cwd=repo, env=dict(cli.env), stdin=terminal, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        os.close(terminal)
        asked = threading.Event()
        err = bytearray()

        def pump() -> None:
            assert push.stderr is not None
            while chunk := push.stderr.read1(4096):
                err.extend(chunk)
                if PROMPT.encode() in err:
                    asked.set()

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            assert asked.wait(timeout=120), err.decode(errors="replace")
            with ShopClient(shop.url, language="nl", key=KEY, secret=SECRET) as colleague:
                colleague.put(f"products/{KUSTWEG}", "product", {"description": COLLEAGUE}, lang="en")
                os.write(answer, b"y\n")
                out, _ = push.communicate(timeout=120)
                now = colleague.get_one(f"products/{KUSTWEG}", "product", lang="en")
        finally:
            if push.poll() is None:
                push.kill()
            push.wait(timeout=30)
            reader.join(timeout=30)
            os.close(answer)
        text = out.decode()
        assert now["description"] == COLLEAGUE, text
        assert push.returncode == 1, text + err.decode()
        assert f"! {KUSTWEG}" in text and "refused" in text and COLLEAGUE[:40] in text and "'Ours, reviewed" in text
        status = cli.run(["status"], repo)
        assert str(KUSTWEG) in status.stdout  # still pending, for the next push
