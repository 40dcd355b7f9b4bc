"""``ecomgit prices``: the lowest price of the window before a reduction (the EU's 30-day rule),
on generated histories with exact answers."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ecomgit import config
from ecomgit.config import PriceRules
from ecomgit.mirror import files
from ecomgit.prices.parse import money, parse_product
from ecomgit.prices.query import catalog
from ecomgit.prices.rule import iso
from tests.mainrun import Run, run_main
from tests.prices_history import Mirror, readme_history

TENT, SOCK = 101, 202


@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Mirror:
    made = Mirror(tmp_path / "shop")
    monkeypatch.chdir(made.root)
    return made


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return lambda *args: run_main(capsys, monkeypatch, *args)


def test_a_reduction_after_30_days_at_the_old_price_is_fine(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(1, 39)
    reduced = mirror.sync(40, {TENT: ("TV-DL2", "80", "100")})
    mirror.daily(41, 45)
    [row] = catalog(mirror.root, PriceRules()).rows
    assert (row.price, row.old, row.lowest, row.status) == (80, 100, 100, "ok")
    assert row.started.commit == reduced and row.started.date == iso(mirror.at(40))
    assert row.started_after == iso(mirror.at(39)) and row.window_from == iso(mirror.at(10))
    assert not row.gap and not row.young and row.longest_gap_days == 1.0
    assert [(e.date, e.price) for e in row.evidence] == [(iso(mirror.at(0)), 100)]


def test_a_short_lower_price_inside_the_window_is_the_30_day_low(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(1, 19)
    lower = mirror.sync(20, {TENT: ("TV-DL2", "90", "0")})
    mirror.daily(21, 29)
    mirror.sync(30, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(31, 44)
    mirror.sync(45, {TENT: ("TV-DL2", "80", "100")})
    [row] = catalog(mirror.root, PriceRules()).rows
    assert (row.old, row.lowest, row.status, row.flagged) == (100, 90, "above", True)
    assert row.lowest_at is not None and row.lowest_at.commit == lower and row.lowest_at.date == iso(mirror.at(20))
    assert [(e.date, str(e.price)) for e in row.evidence] == [
        (iso(mirror.at(0)), "100"),  # in effect when the window opened (day 15)
        (iso(mirror.at(20)), "90"),
        (iso(mirror.at(30)), "100"),
    ]
    assert not row.gap
    # a 10-day-old lower price is outside a 7-day window; a tolerance of 10 forgives the difference
    assert catalog(mirror.root, PriceRules(window_days=7)).rows[0].status == "ok"
    assert catalog(mirror.root, PriceRules(tolerance=Decimal(10))).rows[0].status == "ok"


def test_a_product_younger_than_the_window_is_judged_on_its_days_on_sale(mirror: Mirror) -> None:
    mirror.sync(0, {SOCK: ("SOCK-1", "15", "0")})  # the mirror is older than the window
    mirror.daily(1, 19)
    mirror.sync(20, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(21, 29)
    mirror.sync(30, {TENT: ("TV-DL2", "80", "100")})
    [row] = catalog(mirror.root, PriceRules()).rows
    assert (row.pid, row.lowest, row.status, row.young, row.days_known) == (TENT, 100, "ok", True, 10.0)
    assert row.known_since == iso(mirror.at(20)) and not row.gap


def test_a_mirror_younger_than_the_window_is_a_capture_gap(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(1, 9)
    mirror.sync(10, {TENT: ("TV-DL2", "80", "100")})
    [row] = catalog(mirror.root, PriceRules()).rows
    assert (row.lowest, row.status, row.young, row.gap) == (100, "ok", False, True)
    assert "history starts" in row.gap_note


def test_a_capture_gap_inside_the_window_is_marked(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(1, 44, skip=range(21, 31))  # no sync from day 20 to day 31
    mirror.sync(45, {TENT: ("TV-DL2", "80", "100")})
    [row] = catalog(mirror.root, PriceRules()).rows
    assert (row.lowest, row.status, row.gap, row.longest_gap_days) == (100, "ok", True, 11.0)
    assert row.gap_note == f"no capture from {iso(mirror.at(20))[:10]} to {iso(mirror.at(31))[:10]}"
    assert not catalog(mirror.root, PriceRules(max_gap_days=12)).rows[0].gap


def test_the_cli_table_json_csv_history_and_at(mirror: Mirror, run: Run) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0"), SOCK: ("SOCK-1", "15", "0")})
    mirror.daily(1, 19)
    mirror.sync(20, {TENT: ("TV-DL2", "90", "0")})
    mirror.daily(21, 29)
    mirror.sync(30, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(31, 44)
    mirror.sync(45, {TENT: ("TV-DL2", "80", "100"), SOCK: ("SOCK-1", "12", "15")})
    table = run("prices")
    assert table.code == 0, table.text
    assert "ABOVE LOW" in table.out and "2 variant(s) show an old price: 1 above the 30-day low" in table.out
    data = json.loads(run("prices", "--json").out)
    assert [(r["product"], r["lowest"], r["status"]) for r in data["rows"]] == [
        (TENT, "90", "above"),
        (SOCK, "15", "ok"),
    ]
    assert data["compare"] == "incl" and data["captures"] == 46 and data["medianCaptureIntervalHours"] == 24.0
    rows = list(csv.DictReader(io.StringIO(run("prices", "--csv", "SOCK-1").out)))
    assert [(r["product"], r["lowest"], r["status"]) for r in rows] == [(str(SOCK), "15", "ok")]
    assert json.loads(run("prices", "--json", "--at", iso(mirror.at(44))[:10]).out)["rows"] == []
    history = json.loads(run("prices", "--history", "TV-DL2", "--json").out)
    assert [(p["date"], p["priceIncl"], p["oldPriceIncl"]) for p in history[0]["timeline"]] == [
        (iso(mirror.at(0)), "100", "0"),
        (iso(mirror.at(20)), "90", "0"),
        (iso(mirror.at(30)), "100", "0"),
        (iso(mirror.at(45)), "80", "100"),
    ]
    assert "TV-DL2" in run("prices", "--history", "TV-DL2").out


def test_the_exclusions_and_the_excl_basis(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0"), SOCK: ("SOCK-1", "15", "0", "food/bread")})
    mirror.daily(1, 39)
    mirror.sync(40, {TENT: ("TV-DL2", "80", "100"), SOCK: ("SOCK-1", "12", "15", "food/bread")})
    report = catalog(mirror.root, PriceRules(exclude_categories=("food/bread",), exclude_products=("TV-DL2",)))
    assert (report.rows, report.excluded) == ([], 2)
    [row, _] = catalog(mirror.root, PriceRules(basis="excl")).rows
    assert (str(row.price), str(row.old), str(row.lowest)) == ("66.12", "82.64", "82.64")


@pytest.mark.parametrize(
    ("setting", "message", "line"),
    [
        ("prices:\n  windowDays: thirty\n", "'prices.windowDays' must be a whole number of days", 5),
        ("prices:\n  tolerance: -1\n", "'prices.tolerance' must be an amount of 0 or more", 5),
        ("prices:\n  compare: gross\n", "'prices.compare' must be incl", 5),
        ("prices:\n  window: 30\n", "'prices.window' is not a setting", 5),
        ("prices:\n  exclude:\n    categories: bread\n", "'prices.exclude.categories' must be a list", 5),
        ("prices: 30\n", "'prices' must be a mapping", 4),
    ],
)
def test_a_bad_prices_setting_names_file_line_and_fix(
    mirror: Mirror, run: Run, setting: str, message: str, line: int
) -> None:
    (mirror.root / ".ecomgit" / "config.yaml").write_text(
        "api_url: https://api.webshopapp.com\nlanguages:\n- en\n" + setting
    )
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0")})
    outcome = run("prices")
    assert outcome.code == 1
    assert f".ecomgit/config.yaml:{line}: {message}" in outcome.err


def _pull_request(mirror: Mirror, products: dict[int, tuple[str, ...] | None]) -> None:
    """A branch with a person's edit (no sync trailer) on top of the mirror's main."""
    mirror.git("checkout", "-q", "-b", "sale")
    mirror.write(products)
    mirror.git("commit", "-q", "-am", "Winter sale prices")


def test_check_prices_flags_a_pull_request_that_raises_an_old_price(mirror: Mirror, run: Run) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0"), SOCK: ("SOCK-1", "15", "0")})
    mirror.daily(1, 89)
    mirror.sync(90, {TENT: ("TV-DL2", "80", "100")})  # a reduction running on main since day 90
    mirror.daily(91, 119)
    assert run("check", "--prices").code == 0  # nothing proposed on main itself
    _pull_request(mirror, {TENT: ("TV-DL2", "80", "110"), SOCK: ("SOCK-1", "12", "15")})
    outcome = run("check", "--prices", "--json")
    assert outcome.code == 1, outcome.text
    data = json.loads(outcome.out)
    assert data["base"] == "main" and data["flagged"] == 1
    tent, sock = data["changes"]
    assert (tent["product"], tent["oldPriceBefore"], tent["oldPrice"], tent["lowest"], tent["status"]) == (
        TENT,
        "100",
        "110",
        "100",
        "above",
    )
    assert tent["reductionStarted"]["date"] == iso(mirror.at(90))  # the running reduction keeps its start
    assert tent["file"] == f"products/{TENT}-product-{TENT}/product.yaml" and tent["line"] == 22
    assert (sock["oldPriceBefore"], sock["oldPrice"], sock["lowest"], sock["status"]) == (None, "15", "15", "ok")
    assert not tent["captureGap"] and not sock["captureGap"]
    text = run("check", "--prices")
    assert f"products/{TENT}-product-{TENT}/product.yaml:22: variant {TENT}1 oldPriceIncl 100 → 110" in text.out
    assert "ABOVE the low; lowest 100 on" in text.out
    comment = run("check", "--prices", "--markdown", "--base", "main").out
    assert "### Old prices and the 30-day low" in comment and "| 100 → 110 | 80 | 100 (" in comment


def test_check_prices_on_the_work_tree_and_a_new_reduction_above_a_recent_low(mirror: Mirror, run: Run) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100", "0")})
    mirror.daily(1, 99)
    mirror.sync(100, {TENT: ("TV-DL2", "95", "0")})  # a quiet lower price 20 days ago
    mirror.daily(101, 119)
    mirror.write({TENT: ("TV-DL2", "90", "100")})  # not committed: the work tree is the change
    outcome = run("check", "--prices", "--json")
    [change] = json.loads(outcome.out)["changes"]
    assert outcome.code == 1 and (change["lowest"], change["status"], change["oldPriceBefore"]) == ("95", "above", None)
    mirror.write({TENT: ("TV-DL2", "90", "95")})
    assert run("check", "--prices").code == 0
    mirror.write({TENT: ("TV-DL2", "95", "0")})
    assert "sets or raises no old price" in run("check", "--prices", "--markdown").out


def _blocks(command: str) -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"```console\n$ {command}\n") + len(f"```console\n$ {command}\n")
    return readme[start : readme.index("\n```", start)]


@pytest.mark.parametrize("command", ["ecomgit prices", "ecomgit prices --history TV-DL2"])
def test_the_readme_shows_the_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run, command: str
) -> None:
    mirror = readme_history(tmp_path / "readme")
    monkeypatch.chdir(mirror.root)
    out = run(*command.split()[1:]).out.rstrip("\n")
    commit = re.compile(r"\b[0-9a-f]{10}\b")  # commit ids depend on who made the history
    assert commit.sub("<commit>", out) == commit.sub("<commit>", _blocks(command))


def test_a_progressive_reduction_keeps_its_start_and_a_product_new_on_sale_has_no_prior_price(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100")})
    mirror.daily(1, 39)
    first = mirror.sync(40, {TENT: ("TV-DL2", "80", "100")})
    mirror.daily(41, 49)
    mirror.sync(50, {TENT: ("TV-DL2", "60", "100"), SOCK: ("SOCK-1", "12", "15")})  # the sock arrives on sale
    tent, sock = catalog(mirror.root, PriceRules()).rows
    assert (tent.started.commit, tent.lowest, tent.status, str(tent.price)) == (first, 100, "ok", "60")
    assert (sock.lowest, sock.status, sock.young, sock.days_known) == (None, "unknown", True, 0.0)


def test_only_captures_count_a_renamed_folder_keeps_its_history(mirror: Mirror) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100")})
    mirror.daily(1, 19)
    mirror.write({TENT: ("TV-DL2", "50")})  # a person's edit, never pushed: never applied
    mirror.git("commit", "-q", "-am", "Typo", when=mirror.at(19.5))
    mirror.write({TENT: ("TV-DL2", "100")})
    mirror.git("commit", "-q", "-am", "Undo the typo", when=mirror.at(19.6))
    mirror.daily(20, 39)
    old = mirror.root / "products" / f"{TENT}-product-{TENT}"
    old.rename(mirror.root / "products" / f"{TENT}-tent-renamed")  # the slug changed in the shop
    mirror.sync(40)
    path = mirror.root / "products" / f"{TENT}-tent-renamed" / "product.yaml"
    path.write_text(
        path.read_text().replace("priceIncl: 100", "priceIncl: 80").replace("oldPriceIncl: 0", "oldPriceIncl: 100")
    )
    mirror.sync(41)
    [row] = catalog(mirror.root, PriceRules()).rows
    assert (row.lowest, row.status, row.started.date) == (100, "ok", iso(mirror.at(41)))
    assert [str(e.price) for e in row.evidence] == ["100"]


def test_the_line_scanner_reads_what_the_yaml_loader_reads(sample_dir: Path) -> None:
    for path in sorted(sample_dir.glob("products/*/product.yaml")):
        product = files.read_product(path)
        scanned = parse_product(path.read_text(encoding="utf-8"))
        expected = [
            (v["id"], v.get("sku") or "", v.get("articleCode") or "", *(money(v.get(k)) for k in PRICE_KEYS))
            for v in product["variants"]
        ]
        got = [(v.vid, v.sku, v.article_code, *v.prices()) for v in scanned.variants]
        assert got == expected, path
        categories = [str(x) for c in product["categories"] for x in (c["id"], c["url"])]
        assert list(scanned.categories) == categories, path


PRICE_KEYS = ("priceIncl", "priceExcl", "oldPriceIncl", "oldPriceExcl")


def test_the_prices_setting_round_trips(tmp_path: Path) -> None:
    rules = PriceRules(14, Decimal("0.01"), 1.5, "excl", ("SKU-1",), ("food/bread", "5231133"))
    made = config.Config(api_url="https://api.webshopapp.com", languages=("nl",), prices=rules)
    (tmp_path / ".ecomgit").mkdir()
    (tmp_path / ".ecomgit" / "config.yaml").write_bytes(made.to_yaml())
    assert config.load(tmp_path).prices == rules
    assert b"prices" not in config.Config(api_url="https://api.webshopapp.com").to_yaml()


def test_clear_errors_for_a_missing_base_a_bad_date_and_mixed_options(mirror: Mirror, run: Run) -> None:
    mirror.sync(0, {TENT: ("TV-DL2", "100")})
    missing = run("check", "--prices", "--base", "release")
    assert missing.code == 1 and "give it with --base REV" in missing.err
    assert run("prices", "--at", "yesterday").code == 1
    assert run("prices", "--json", "--csv").code == 2
    assert run("prices", "TV-DL2", "--history", "TV-DL2").code == 2
    assert run("check", "--prices", "products").code == 2
