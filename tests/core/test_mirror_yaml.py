"""The mirror's YAML: exact round trip of any text, canonical numbers and order, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgit.errors import MirrorFileError
from ecomgit.mirror import dump_product, read_product, write_product
from ecomgit.mirror.layout import folder_product_id, image_file_name, product_folder, safe_name
from ecomgit.mirror.yamlio import dump, load

TRICKY = [
    "<p>Hallo</p>\r\n<p>wereld</p>",  # CRLF, as real shops send HTML
    "<p>a</p>\r\n",
    "line\nbreaks\n\n\n",
    "trailing spaces   \nand\ttabs\t\n",
    "  leading indent\nnext",
    "emoji 🚲 and ümlauts €",
    "mixed\r\nline\nends\r",
    "lone\rcarriage return",
    "nul\x00 and bell\x07",
    "NEL\x85 LS\u2028 PS\u2029 BOM\ufeff",
    "yes",
    "null",
    "0.000",
    "19.90",
    "",
    " ",
    "- looks like a list",
    "key: value",
    "# not a comment",
    "'quoted'",
    '"double"',
    "x" * 5000,
]


@pytest.mark.parametrize("text", TRICKY)
def test_any_text_round_trips_exactly(text: str) -> None:
    assert load(dump({"k": text}), "t.yaml") == {"k": text}


@given(st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_arbitrary_text_round_trips_exactly(text: str) -> None:
    assert load(dump({"content": {"nl": text}}), "t.yaml") == {"content": {"nl": text}}


def test_crlf_text_is_standard_yaml_in_lines() -> None:
    """Issue 16 item 6: no ``!crlf`` tag (PyYAML, js-yaml and editors refuse unknown tags): each
    line ends with the CRLF escape and an escaped line break, so a paragraph is still a line."""
    out = dump({"content": '<p class="a">a</p>\r\n  <p>b</p>\r\n'})
    assert out == 'content: "<p class=\\"a\\">a</p>\\r\\n\\\n  \\  <p>b</p>\\r\\n\\\n  "\n'
    assert load(out, "t.yaml") == yaml.safe_load(out) == {"content": '<p class="a">a</p>\r\n  <p>b</p>\r\n'}


def test_a_file_an_earlier_version_wrote_with_the_tag_is_still_read() -> None:
    assert load("content: !crlf |-\n  <p>a</p>\n  <p>b</p>\n", "t.yaml") == {"content": "<p>a</p>\r\n<p>b</p>"}


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), min_size=2, max_size=6))
@settings(max_examples=300, deadline=None)
def test_any_crlf_text_is_read_back_exactly_by_standard_readers(lines: list[str]) -> None:
    text = "\r\n".join(line.replace("\r", "").replace("\n", "") for line in lines)
    out = dump({"content": {"nl": text}})
    assert "!" not in out.split("\n", 1)[1][:6]  # no tag
    wanted = {"content": {"nl": text}}
    assert load(out, "t.yaml") == wanted
    assert yaml.load(out, Loader=yaml.CSafeLoader) == wanted  # noqa: S506 - the safe C loader
    assert yaml.safe_load(out) == wanted


def test_long_lines_are_never_wrapped() -> None:
    text = "word " * 400
    out = dump({"description": text.strip()})
    assert out.count("\n") == 1


def test_numbers_are_canonical() -> None:
    assert dump({"a": 19.9, "b": 7490.0, "c": 29.95, "d": 0, "e": "0.250"}) == (
        "a: 19.9\nb: 7490\nc: 29.95\nd: 0\ne: '0.250'\n"
    )


def test_product_keys_and_lists_get_canonical_order() -> None:
    product = {
        "variants": [
            {"sortOrder": 2, "id": 9, "title": {"en": "B", "nl": "B"}},
            {"title": {"nl": "A", "en": "A"}, "id": 8, "sortOrder": 1},
        ],
        "title": {"en": "Glove", "nl": "Handschoen"},
        "id": 5,
        "categories": [{"url": "b", "id": 20}, {"url": "a", "id": 10}],
        "metafields": [{"value": "2", "key": "z", "id": 2}, {"value": "1", "key": "a", "id": 1}],
    }
    text = dump_product(product, ["nl", "en"]).decode()
    assert text.index("id: 5") < text.index("title:") < text.index("categories:") < text.index("variants:")
    assert text.index("nl: Handschoen") < text.index("en: Glove")
    assert text.index("id: 10") < text.index("id: 20")
    assert text.index("id: 8") < text.index("id: 9")
    assert text.index("key: a") < text.index("key: z")


def test_write_product_is_byte_stable(tmp_path: Path) -> None:
    path = tmp_path / "product.yaml"
    product = {"id": 1, "title": {"nl": "A\r\nB"}, "content": {"nl": "x  \n\ty"}}
    assert write_product(path, product) is True
    first = path.read_bytes()
    assert write_product(path, read_product(path)) is False
    assert path.read_bytes() == first
    assert read_product(path)["title"] == {"nl": "A\r\nB"}


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "product.yaml"
    path.write_text("id: 1\ntitle:\n  nl: ok\n  en: [unclosed\nvisibility: visible\n")
    with pytest.raises(MirrorFileError) as caught:
        read_product(path)
    assert caught.value.path == str(path)
    assert caught.value.line in (5, 6)
    assert str(path) in str(caught.value)


def test_a_product_without_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "product.yaml"
    path.write_text("title: {nl: x}\n")
    with pytest.raises(MirrorFileError, match="no numeric 'id'"):
        read_product(path)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "product.yaml"
    path.write_bytes(b"id: 1\ntitle: {nl: \xff}\n")
    with pytest.raises(MirrorFileError) as caught:
        read_product(path)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "hostile",
    [
        "../../etc/passwd",
        "/absolute/path",
        "a/b\\c",
        "..",
        ".",
        "con",
        "CON",
        "nul",
        "\x00\x1b[31m",
        "é" * 300,
        "🚲🚲",
        "",
        "a" * 500,
        "lpt1",
    ],
)
def test_safe_names_never_escape_their_folder(hostile: str) -> None:
    name = safe_name(hostile)
    assert name and len(name) <= 70
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert name.lower() not in ("con", "nul", "lpt1")
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in name)


def test_folder_and_image_names() -> None:
    assert product_folder(65626325, "Ranger Glove/../x") == "65626325-ranger-glove-x"
    assert folder_product_id("65626325-ranger-glove") == 65626325
    assert folder_product_id("notes") is None
    assert image_file_name(3, 12, "Front View", "JPG") == "03-front-view.jpg"
    assert image_file_name(7, 120, "x", "png") == "007-x.png"
    assert image_file_name(1, 1, "..", "../../sh") == "01-image.sh"
