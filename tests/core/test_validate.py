"""Validating product files people edit: every problem with its file, line, field and fix."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecomgit.mirror import yamlio
from ecomgit.mirror.validate import Problem, check_file, validate_product

PRODUCTS = Path(__file__).resolve().parents[2] / "sample-catalog" / "products"
LANGS = ["nl", "en"]
SLUIS = "72418452-polderlicht-sluis-achterlicht"  # 2 variants with images, 2 tags, no metafields
WADDEN = "72418301-wadden-grx-gravelbike"  # !crlf content, metafields, relations
OLIE = "72418475-kettingolie-nat-100-ml"  # a single variant


def _text(folder: str) -> str:
    return (PRODUCTS / folder / "product.yaml").read_text(encoding="utf-8")


def _images(folder: str) -> set[str]:
    images = PRODUCTS / folder / "images"
    return {p.name for p in images.iterdir()} if images.is_dir() else set()


def _edit(text: str, old: str, new: str, nth: int = 0, regex: bool = False) -> str:
    pattern = old if regex else re.escape(old)
    matches = list(re.finditer(pattern, text, flags=re.S))
    assert len(matches) > nth, f"{old!r} occurs {len(matches)} times"
    match = matches[nth]
    return text[: match.start()] + new + text[match.end() :]


def _first_changed_line(before: str, after: str) -> int:
    for number, (a, b) in enumerate(zip(before.splitlines(), after.splitlines(), strict=False), start=1):
        if a != b:
            return number
    return min(len(before.splitlines()), len(after.splitlines())) + 1


def _line(text: str, exact: str, nth: int = 0) -> int:
    """The 1-based number of the ``nth`` line that is exactly ``exact``."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if line == exact][nth]


def _validate(text: str, folder: str, image_files: set[str] | None = None) -> list[Problem]:
    files = _images(folder) if image_files is None else image_files
    data = yamlio.load(text, "product.yaml")
    return validate_product(data, path="product.yaml", languages=LANGS, image_files=files, text=text)


@dataclass(frozen=True)
class Edit:
    """Replace the ``nth`` ``old`` by ``new``; expect one problem at ``field`` whose message has ``message``.

    The problem's line is the first edited line, or the line that is exactly ``line_at`` (a missing
    key is reported on its parent's line).
    """

    name: str
    old: str
    new: str
    field: str
    message: str
    nth: int = 0
    folder: str = SLUIS
    line_at: str | None = None
    regex: bool = False


EDITS = [
    # enums
    Edit(
        "stockTracking",
        "stockTracking: enabled",
        "stockTracking: maybe",
        "variants[1].stockTracking",
        "'maybe' is not one of enabled, indicator, disabled",
        nth=1,
    ),
    Edit("visibility", "visibility: visible", "visibility: shown", "visibility", "not one of visible, hidden, auto"),
    Edit("visibility null", "visibility: visible", "visibility: null", "visibility", "null is not one of visible"),
    Edit("weightUnit", "weightUnit: g", "weightUnit: kilo", "variants[0].weightUnit", "not one of g, kg, oz, lb"),
    Edit("volumeUnit", "volumeUnit: ml", "volumeUnit: l", "variants[0].volumeUnit", "not one of ml, fl_oz, oz"),
    Edit("sizeUnit", "sizeUnit: cm", "sizeUnit: mm", "variants[1].sizeUnit", "not one of cm, in", nth=1),
    Edit("taxType", "taxType: auto", "taxType: manual", "variants[0].taxType", "'manual' is not one of auto, null"),
    # required and unknown keys
    Edit("missing key", "data02: ''\n", "", "data02", "missing; add the key 'data02' here", line_at="id: 72418452"),
    Edit(
        "missing variant key",
        "  stockAlert: 5\n",
        "",
        "variants[1].stockAlert",
        "missing; add the key 'stockAlert' here",
        nth=1,
        line_at="- id: 118584522",
    ),
    Edit(
        "missing image key",
        "  fileId: 73234522\n",
        "",
        "images[1].fileId",
        "missing; add the key 'fileId' here",
        line_at="- file: 02-sluis-bagagedrager.jpg",
    ),
    Edit(
        "missing ref id",
        "  id: 21401\n",
        "",
        "deliverydate.id",
        "missing; add the key 'id' here",
        line_at="deliverydate:",
    ),
    Edit("unknown key", "data03: ''", "data03: ''\ndata04: ''", "data04", "unknown key; did you mean 'data03'?"),
    Edit("unknown variant key", "  colli: 1", "  colli: 1\n  color: red", "variants[0].color", "unknown key"),
    # types
    Edit("id text", "id: 72418452", "id: '72418452'", "id", "'72418452' is not an id"),
    Edit("id zero", "id: 72418452", "id: 0", "id", "0 is not an id; ids are positive whole numbers"),
    Edit("int text", "stockAlert: 5", "stockAlert: five", "variants[0].stockAlert", "'five' is not a whole number"),
    Edit("int float", "colli: 1", "colli: 1.5", "variants[1].colli", "1.5 is not a whole number", nth=1),
    Edit("int bool", "sortOrder: 1", "sortOrder: true", "variants[0].sortOrder", "true is not a whole number"),
    Edit("number text", "priceExcl: 20.62", "priceExcl: €20,62", "variants[0].priceExcl", "is not a number"),
    Edit("number bool", "unitPrice: 0", "unitPrice: true", "variants[0].unitPrice", "true is not a number"),
    Edit("number nan", "priceExcl: 20.62", "priceExcl: .nan", "variants[0].priceExcl", "nan is not a number"),
    Edit("negative", "priceIncl: 24.95", "priceIncl: -1", "variants[1].priceIncl", "-1 is negative", nth=1),
    Edit("negative weight", "weight: 42", "weight: -42", "variants[0].weight", "too small; it must be 0 or more"),
    Edit("text int", "articleCode: PL-SLUIS-ZP", "articleCode: 12345", "variants[0].articleCode", "quotes: '12345'"),
    Edit("text null", "sku: PL-SLUIS-ZP", "sku: null", "variants[0].sku", "null is not allowed here"),
    Edit("text list", "data01: ''", "data01: [a]", "data01", "a list is not text"),
    Edit("nullable text", "hs: '85131000'", "hs: 85131000", "variants[0].hs", "85131000 is not text"),
    Edit("bool", "isDefault: false", "isDefault: no", "variants[1].isDefault", "'no' is not true or false"),
    Edit("tax id", "tax: 4001", "tax: '21%'", "variants[0].tax", "is not an id"),
    # translatable fields
    Edit(
        "texts not a map",
        "fulltitle:\n  nl: Polderlicht Sluis achterlicht met remlichtfunctie\n  en: "
        "Polderlicht Sluis rear light with brake light function",
        "fulltitle: Polderlicht Sluis",
        "fulltitle",
        "'Polderlicht Sluis' is not a map of languages; write one line per language (nl, en)",
    ),
    Edit(
        "missing language",
        "  en: Polderlicht Sluis rear light\n",
        "",
        "title.en",
        'missing; add a line "en: ..."',
        line_at="title:",
    ),
    Edit(
        "unknown language",
        "  en: Polderlicht Sluis rear light",
        "  en: Polderlicht Sluis rear light\n  de: Polderlicht Sluis Rücklicht",
        "title.de",
        "'de' is not a language of this shop; use only nl, en",
    ),
    Edit("text not a string", "  en: Polderlicht Sluis rear light", "  en: 42", "title.en", "42 is not text"),
    Edit("url empty", "  en: polderlicht-sluis-rear-light", "  en: ''", "url.en", "empty; every language needs"),
    Edit(
        "url spaces",
        "  nl: polderlicht-sluis-achterlicht",
        "  nl: Polderlicht Sluis",
        "url.nl",
        "'Polderlicht Sluis' is not a valid URL slug (it contains spaces); use lowercase letters, digits, "
        "'-' and '_', e.g. 'polderlicht-sluis'",
    ),
    Edit("url capitals", "  nl: polderlicht-sluis-achterlicht", "  nl: Polderlicht", "url.nl", "contains capitals"),
    Edit("url leading slash", "  nl: polderlicht-sluis-achterlicht", "  nl: /sluis", "url.nl", "starts with '/'"),
    Edit("url dots", "  nl: polderlicht-sluis-achterlicht", "  nl: a/../b", "url.nl", "contains '..'"),
    Edit("url chars", "  nl: polderlicht-sluis-achterlicht", "  nl: sluis?x=1", "url.nl", "contains '=' '?'"),
    Edit(
        "variant title empty",
        "    en: '\"Mount: Rear rack\"'",
        "    en: ''",
        "variants[1].title.en",
        "Invalid variant title",
    ),
    Edit("variant title blank", "    nl: '\"Montage: Zadelpen\"'", "    nl: '  '", "variants[0].title.nl", "empty"),
    # variants as a whole
    Edit(
        "no variants",
        r"variants:\n- id: .*?\nmetafields:",
        "variants: []\nmetafields:",
        "variants",
        "at least one variant",
        folder=OLIE,
        regex=True,
    ),
    Edit(
        "no default",
        "isDefault: true",
        "isDefault: false",
        "variants",
        "no variant has 'isDefault: true'",
        line_at="variants:",
    ),
    Edit("two defaults", "isDefault: false", "isDefault: true", "variants[1].isDefault", "variants[0] is already"),
    Edit(
        "duplicate variant id",
        "- id: 118584522",
        "- id: 118584521",
        "variants[1].id",
        "118584521 is already used by variants[0]; variant ids must be unique",
    ),
    Edit(
        "variants not a list",
        r"variants:\n- id: .*?\nmetafields:",
        "variants: 1\nmetafields:",
        "variants",
        "",
        regex=True,
    ),
    # prices and order limits
    Edit(
        "old price below price",
        "oldPriceExcl: 0",
        "oldPriceExcl: 20",
        "variants[0].oldPriceExcl",
        "old price 20 is not above priceExcl 20.62; raise it, or write 0 for no old price",
    ),
    Edit("old price equal", "oldPriceIncl: 0", "oldPriceIncl: 24.95", "variants[1].oldPriceIncl", "not above", nth=1),
    Edit("buy minimum 0", "stockBuyMinimum: 1", "stockBuyMinimum: 0", "variants[0].stockBuyMinimum", "1 or more"),
    Edit(
        "buy minimum above maximum",
        "stockBuyMinimum: 1",
        "stockBuyMinimum: 20000",
        "variants[1].stockBuyMinimum",
        "20000 is above stockBuyMaximum 10000",
        nth=1,
    ),
    # decimal strings
    Edit("decimal word", "weightValue: '42.000'", "weightValue: heavy", "variants[0].weightValue", "like '0.250'"),
    Edit("decimal text", "sizeXValue: '6.000'", "sizeXValue: '6,0'", "variants[0].sizeXValue", "is not a decimal"),
    Edit("volumeValue", "volumeValue: 0", "volumeValue: lots", "variants[0].volumeValue", "'lots' is not a number"),
    # images
    Edit(
        "image not in folder",
        "- file: 01-sluis-zadelpen.jpg",
        "- file: 01-sluis-zadelpen.png",
        "images[0].file",
        "'01-sluis-zadelpen.png' is not in images/",
    ),
    Edit(
        "variant image not in folder",
        "image: 02-sluis-bagagedrager.jpg",
        "image: 03-sluis.jpg",
        "variants[1].image",
        "is not in images/",
    ),
    Edit("image path", "- file: 01-sluis-zadelpen.jpg", "- file: ../01.jpg", "images[0].file", "not a plain file"),
    Edit("image backslash", "image: 01-sluis-zadelpen.jpg", "image: a\\b.jpg", "variants[0].image", "not a plain"),
    Edit("image control", "- file: 01-sluis-zadelpen.jpg", '- file: "01\\t.jpg"', "images[0].file", "not a plain"),
    Edit("image empty", "- file: 01-sluis-zadelpen.jpg", "- file: ''", "images[0].file", "is not a file name"),
    Edit(
        "duplicate image",
        "- file: 02-sluis-bagagedrager.jpg",
        "- file: 01-sluis-zadelpen.jpg",
        "images[1].file",
        "already used by images[0]",
    ),
    Edit("image id", "  id: 69284521", "  id: abc", "images[0].id", "'abc' is not an id"),
    # references, categories, tags
    Edit(
        "brand text",
        "brand:\n  id: 3712402\n  title: Polderlicht",
        "brand: Polderlicht",
        "brand",
        "not a brand (id and title) or null",
    ),
    Edit("brand id", "  id: 3712402", "  id: polderlicht", "brand.id", "'polderlicht' is not an id"),
    Edit(
        "categories not a list",
        "- id: 5231112\n  url: onderdelen/verlichting\n  sortOrder: 2",
        "  5231112",
        "categories",
        "5231112 is not a list",
        line_at="categories:",
    ),
    Edit("category id", "- id: 5231112", "- id: '5231112'", "categories[0].id", "is not an id"),
    Edit("duplicate tag", "- id: 931208", "- id: 931205", "tags[1].id", "already used by tags[0]; list each tag once"),
    Edit("tag not a mapping", "- id: 931208\n  title: Winterklaar", "- 931208", "tags[1]", "is not a tag"),
    # metafields and relations (a file with !crlf blocks above them)
    Edit("metafield key empty", "- key: warranty_years", "- key: ''", "metafields[2].key", "empty", folder=WADDEN),
    Edit(
        "duplicate metafield",
        "- key: meta_keywords_nl",
        "- key: meta_keywords_en",
        "metafields[1].key",
        "already used by metafields[0]",
        folder=WADDEN,
    ),
    Edit("metafield value", "  value: '10'", "  value: 10", "metafields[2].value", "quotes: '10'", folder=WADDEN),
    Edit("relation product", "  product: 72418504", "  product: x", "relations[0].product", "not an id", folder=WADDEN),
    Edit(
        "duplicate relation",
        "  product: 72418617",
        "  product: 72418504",
        "relations[1].product",
        "already used by relations[0]",
        folder=WADDEN,
    ),
    Edit(
        "variant metafield",
        "  metafields: []",
        "  metafields:\n  - key: ''\n    id: null\n    value: x",
        "variants[0].metafields[0].key",
        "empty; give the metafield a key",
        line_at="  - key: ''",
    ),
    Edit("variant metafields", "  metafields: []", "  metafields: {}", "variants[1].metafields", "not a list", nth=1),
]


@pytest.mark.parametrize("path", sorted(PRODUCTS.glob("*/product.yaml")), ids=lambda p: p.parent.name)
def test_every_sample_product_is_clean(path: Path) -> None:
    assert check_file(path, languages=LANGS) == []


@pytest.mark.parametrize("edit", EDITS, ids=[e.name for e in EDITS])
def test_each_kind_of_problem_is_reported_on_its_line(edit: Edit) -> None:
    before = _text(edit.folder)
    after = _edit(before, edit.old, edit.new, edit.nth, edit.regex)
    line = _line(after, edit.line_at) if edit.line_at else _first_changed_line(before, after)

    problems = _validate(after, edit.folder)

    assert [(p.field, p.line) for p in problems] == [(edit.field, line)], [str(p) for p in problems]
    assert edit.message in problems[0].message
    assert problems[0].path == "product.yaml"


TOLERATED = [
    ("new product", "id: 72418452", "id: null"),
    ("new variant", "- id: 118584522", "- id: null"),
    ("unicode slug", "  nl: polderlicht-sluis-achterlicht", "  nl: fietslicht-achter-ëñ_2"),
    ("nested slug", "  en: polderlicht-sluis-rear-light", "  en: lights/rear-light"),
    ("priceCost", "  unitPrice: 0", "  priceCost: 8.5\n  unitPrice: 0"),
    ("volumeValue text", "volumeValue: 0", "volumeValue: '0.5'"),
    ("old price above price", "oldPriceExcl: 0", "oldPriceExcl: 25"),
    ("supplier", "supplier: null", "supplier:\n  id: 5\n  title: Groothandel"),
    ("no brand", "brand:\n  id: 3712402\n  title: Polderlicht", "brand: null"),
    ("taxType null", "taxType: auto", "taxType: null"),
    ("variant-only image", "image: 02-sluis-bagagedrager.jpg", "image: variant-118584522-7-oker.jpg"),
    ("new image", "images:\n", "images:\n- file: 03-new.jpg\n  id: null\n  fileId: null\n"),
    ("content crlf", "  nl: |-\n    <p>De", "  nl: !crlf |-\n    <p>De"),  # as earlier versions wrote it
]


@pytest.mark.parametrize(("old", "new"), [t[1:] for t in TOLERATED], ids=[t[0] for t in TOLERATED])
def test_valid_edits_are_clean(old: str, new: str) -> None:
    text = _edit(_text(SLUIS), old, new)
    assert _validate(text, SLUIS, _images(SLUIS) | {"variant-118584522-7-oker.jpg", "03-new.jpg"}) == []


def test_all_problems_are_reported_in_line_order() -> None:
    text = _text(SLUIS)
    for old, new in [
        ("stockTracking: enabled", "stockTracking: maybe"),
        ("  nl: polderlicht-sluis-achterlicht", "  nl: Polderlicht Sluis"),
        ("- file: 02-sluis-bagagedrager.jpg", "- file: 02-gone.jpg"),
        ("isDefault: false", "isDefault: true"),
    ]:
        text = _edit(text, old, new)

    problems = _validate(text, SLUIS)

    assert [(p.field, p.line) for p in problems] == [
        ("url.nl", _line(text, "  nl: Polderlicht Sluis")),
        ("images[1].file", _line(text, "- file: 02-gone.jpg")),
        ("variants[0].stockTracking", _line(text, "  stockTracking: maybe")),
        ("variants[1].isDefault", _line(text, "  isDefault: true", nth=1)),
    ]


def test_a_misspelt_key_is_named_once_with_its_line_and_no_value() -> None:
    text = _edit(_text(SLUIS), "  stockTracking: enabled", "  stockTraking: enabled")
    problems = _validate(text, SLUIS)
    assert [(p.field, p.line, p.message) for p in problems] == [
        (
            "variants[0].stockTraking",
            _line(text, "  stockTraking: enabled"),
            "unknown key; 'stockTracking' is missing: rename this key to 'stockTracking' and keep its value",
        ),
    ]


def test_a_missing_key_is_never_given_a_value() -> None:
    """Issue 23, item 24: the hint said 'add "oldPriceExcl: 0"', which would zero the old price."""
    text = _edit(_text(SLUIS), "  oldPriceExcl: 0\n", "")
    problems = _validate(text, SLUIS)
    assert [(p.field, p.line) for p in problems] == [("variants[0].oldPriceExcl", _line(text, "- id: 118584521"))]
    assert "add the key 'oldPriceExcl' here with its value" in problems[0].message
    assert "oldPriceExcl:" not in problems[0].message


def test_without_text_there_are_no_lines() -> None:
    data = yamlio.load(_edit(_text(SLUIS), "sizeUnit: cm", "sizeUnit: mm"), "p")
    problems = validate_product(data, path="p.yaml", languages=LANGS, image_files=None)
    assert problems == [Problem("p.yaml", None, "variants[0].sizeUnit", "'mm' is not one of cm, in")]
    assert str(problems[0]) == "p.yaml: variants[0].sizeUnit: 'mm' is not one of cm, in"


def test_image_presence_is_not_checked_without_a_file_list() -> None:
    data = yamlio.load(_edit(_text(SLUIS), "- file: 01-sluis-zadelpen.jpg", "- file: 09-other.jpg"), "p")
    assert validate_product(data, path="p.yaml", languages=LANGS, image_files=None) == []


def test_problem_str_names_file_line_and_field() -> None:
    problem = Problem("products/1-x/product.yaml", 93, "variants[2].stockTracking", "'maybe' is not one of …")
    assert str(problem) == "products/1-x/product.yaml:93: variants[2].stockTracking: 'maybe' is not one of …"
    assert str(Problem("p.yaml", 4, "", "bad YAML")) == "p.yaml:4: bad YAML"


@pytest.mark.parametrize("data", [None, [], "text", 5])
def test_a_file_that_is_not_a_mapping_is_one_problem(data: object) -> None:
    problems = validate_product(data, path="p.yaml", languages=LANGS, image_files=None, text="- a\n")
    assert [(p.field, p.line) for p in problems] == [("", 1)]
    assert "not a product" in problems[0].message


def test_clean_files_are_never_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> None:
        raise AssertionError("composed a clean file")

    monkeypatch.setattr(yamlio, "compose", boom)
    assert check_file(PRODUCTS / WADDEN / "product.yaml", languages=LANGS) == []


# --- check_file: reading the folder --------------------------------------------------------------


@pytest.fixture
def sluis(tmp_path: Path) -> Path:
    """A writable copy of the sample product folder; returns its product.yaml."""
    folder = tmp_path / "products" / SLUIS
    shutil.copytree(PRODUCTS / SLUIS, folder)
    return folder / "product.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message", "below"),
    [
        ("visibility: visible", "visibility: visible: x", "mapping values are not allowed", 0),
        ("data02: ''", "data01: ''", 'found duplicate key "data01"', 0),
        ("  stockAlert: 5", "  stockAlert: [5", "did not find expected", 1),  # found on the next line
    ],
    ids=["mapping value", "duplicate key", "unclosed list"],
)
def test_a_yaml_syntax_error_is_one_problem_with_its_line(
    sluis: Path, old: str, new: str, message: str, below: int
) -> None:
    before = sluis.read_text(encoding="utf-8")
    after = _edit(before, old, new)
    sluis.write_text(after, encoding="utf-8")

    problems = check_file(sluis, languages=LANGS)

    assert len(problems) == 1
    assert problems[0].path == str(sluis)
    assert problems[0].field == ""
    assert message in problems[0].message
    assert "fix the YAML syntax" in problems[0].message
    assert problems[0].line == _first_changed_line(before, after) + below


def test_a_missing_image_file_is_reported_for_every_use(sluis: Path) -> None:
    (sluis.parent / "images" / "02-sluis-bagagedrager.jpg").unlink()
    text = sluis.read_text(encoding="utf-8")

    problems = check_file(sluis, languages=LANGS)

    assert [(p.field, p.line) for p in problems] == [
        ("images[1].file", _line(text, "- file: 02-sluis-bagagedrager.jpg")),
        ("variants[1].image", _line(text, "  image: 02-sluis-bagagedrager.jpg")),
    ]
    assert all("'02-sluis-bagagedrager.jpg' is not in images/" in p.message for p in problems)


def test_a_folder_without_images_dir_misses_every_image(sluis: Path) -> None:
    shutil.rmtree(sluis.parent / "images")
    fields = [p.field for p in check_file(sluis, languages=LANGS)]
    assert fields == ["images[0].file", "images[1].file", "variants[0].image", "variants[1].image"]


def test_an_id_that_does_not_match_the_folder_is_reported(sluis: Path) -> None:
    text = _edit(sluis.read_text(encoding="utf-8"), "id: 72418452", "id: 72418453")
    sluis.write_text(text, encoding="utf-8")
    problems = check_file(sluis, languages=LANGS)
    assert [(p.field, p.line) for p in problems] == [("id", 1)]
    assert "not the id in the folder name (72418452)" in problems[0].message


def test_invalid_utf8_is_one_problem_with_its_line(sluis: Path) -> None:
    line = _line(sluis.read_text(encoding="utf-8"), "data01: ''")
    sluis.write_bytes(sluis.read_bytes().replace(b"data01: ''", b"data01: '\xff'"))
    problems = check_file(sluis, languages=LANGS)
    assert [(p.line, p.message) for p in problems] == [(line, "not valid UTF-8; save the file as UTF-8")]


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    problems = check_file(tmp_path / "1-x" / "product.yaml", languages=LANGS)
    assert len(problems) == 1
    assert problems[0].line is None
    assert "restore it from git" in problems[0].message


def test_an_unquoted_hash_that_cuts_a_value_short_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "72418339-kustweg-105-racefiets"
    shutil.copytree(next(PRODUCTS.glob("72418339-*")), folder)
    path = folder / "product.yaml"
    lines = path.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("  en: Comfortable endurance"))
    lines[index] = "  en: Now in sale #1 of the year.\n"
    path.write_text("".join(lines))
    [problem] = check_file(path, languages=["nl", "en"])
    assert problem.line == index + 1 and "starts a YAML comment" in problem.message


def test_hashes_inside_quotes_and_blocks_are_fine(tmp_path: Path) -> None:
    folder = tmp_path / "72418339-kustweg-105-racefiets"
    shutil.copytree(next(PRODUCTS.glob("72418339-*")), folder)
    path = folder / "product.yaml"
    text = path.read_text().replace(
        "  en: Comfortable endurance road bike with Shimano 105 and disc brakes. Ideal for your first sportive.",
        "  en: 'Sale #1: road bike'",
    )
    path.write_text(text.replace("<p>Now €150 off for a limited time.</p>", "<p>#1 deal # of the year</p>"))
    assert check_file(path, languages=["nl", "en"]) == []
