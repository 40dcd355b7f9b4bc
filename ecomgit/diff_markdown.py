"""``ecomgit diff --markdown``: a summary of catalog changes ready to post on a pull request.

One table of the products (title linked to its file, what happened, how many fields), then one
table per product of its changes: ``old → new`` for values, long text word by word with
``<del>``/``<ins>``. Everything that comes from the shop or the mirror (titles, values, file
names) is escaped, so a product title can never inject markup, links or mentions into a comment.
GitHub refuses comments over 65 536 characters (and then the workflow leaves the pull request's
older comment standing): every cell is cut at :data:`CELL_MOST` characters, the settings table at
half of ``limit``, and past ``limit`` the product sections stop; the summary says how to see the rest.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote

from ecomgit.diff import FieldChange, ProductDiff
from ecomgit.diff_settings import SettingChange
from ecomgit.text import one_line

COMMENT_LIMIT = 60_000  # GitHub's limit is 65 536 characters; room for the closing lines
CELL_MOST = 500  # characters of one value in a table cell (a title, a setting, a field's text)
REWRITE_MOST = 3000  # … and of a rewritten text's old and new, each shown whole up to this
MARKER = "<!-- ecomgit-diff -->"  # lets a workflow find and update its own comment
_KIND = ("new", "changed", "deleted")
_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")


def markdown(
    found: Iterable[ProductDiff],
    old: str,
    new: str,
    *,
    link_base: str = "",
    limit: int = COMMENT_LIMIT,
    settings: Sequence[SettingChange] = (),
    expected: Mapping[str, int] | None = None,
) -> str:
    """The summary of ``found`` (from :func:`ecomgit.diff.iter_diff`) as GitHub-flavoured Markdown.

    ``link_base`` is put before each product file's path (e.g. a ``…/blob/<sha>/`` URL); without
    it the links are relative to the repository's root. ``settings`` (config and ``.gitattributes``
    changes) come first, before anything the limit may cut. ``found`` is read only as far as the
    comment can show: past ``limit`` the rest is not compared at all, and the counts then come from
    ``expected`` (new, changed, deleted by the files that differ; :func:`ecomgit.diff.expected_counts`).
    """
    head = [MARKER, f"### Catalog changes `{old[:10]}` → `{new[:10]}`", "", *_settings(settings, limit // 2, old, new)]
    shown: list[ProductDiff] = []
    rows: list[str] = []
    size = sum(len(line) + 1 for line in head) + 200  # the counts line and the table's head
    items = iter(found)
    complete = True
    for item in items:
        shown.append(item)
        rows.append(f"| {_title(item, link_base)} | {item.pid} | {_what(item)} |")
        size += len(rows[-1]) + 1
        if size > limit:
            complete = next(items, None) is None
            break
    if not shown:
        return "\n".join([*head, "No product changed.", ""])
    counts = Counter(item.kind for item in shown)
    if not complete and expected:
        counts = Counter({kind: max(expected.get(kind, 0), counts[kind]) for kind in _KIND})
    total = sum(counts.values())
    head.append(
        ", ".join(f"**{counts[kind]}** {kind}" for kind in _KIND if counts[kind])
        + f" ({total} product{'' if total == 1 else 's'})"
    )
    head += ["", "| Product | Id | Change |", "| --- | ---: | --- |"]
    out = "\n".join([*head, *rows, ""])
    if not complete or len(out) > limit:  # even the table is too long: keep its first rows
        kept = rows[: max(1, len(rows) * limit // len(out) - 1)]
        left = total - len(kept) if not complete else len(shown) - len(kept)
        return "\n".join([*head, *kept, "", _rest(left, old, new), ""])
    changed = [item for item in shown if item.kind == "changed"]  # new and deleted: the table says it all
    for number, item in enumerate(changed):
        section = "\n".join(_section(item, link_base))
        if len(out) + len(section) > limit:
            out += "\n" + _rest(len(changed) - number, old, new) + "\n"
            break
        out += "\n" + section
    return out


def _settings(settings: Sequence[SettingChange], limit: int, old: str, new: str) -> list[str]:
    if not settings:
        return []
    lines = ["**The mirror's settings changed:**", "", "| File | Change |", "| --- | --- |"]
    size = 0
    for number, change in enumerate(settings):
        row = f"| {cell(change.file)} | {cell(change.words)} |"
        size += len(row) + 1
        if size > limit and number:
            left = len(settings) - number
            lines.append(
                f"| … | and {left} more change(s) to the settings not shown here: run "
                f"`ecomgit diff {old[:10]} {new[:10]}` to see every change |"
            )
            break
        lines.append(row)
    return [*lines, ""]


def _section(item: ProductDiff, link_base: str) -> list[str]:
    lines = [f"#### {_title(item, link_base)} · {item.pid}", "", "| Field | Change |", "| --- | --- |"]
    lines += [f"| {cell(change.field)} | {_change(change)} |" for change in item.changes]
    return [*lines, ""]


def _change(change: FieldChange) -> str:
    if change.rewritten:  # old and new, whole (up to REWRITE_MOST characters each)
        old, new = (cell(str(text), REWRITE_MOST) if text else "(empty)" for text in (change.old, change.new))
        return f"**old:** <del>{old}</del><br>**new:** <ins>{new}</ins>"
    if change.segments is None:
        return cell(change.change)
    tags = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}
    return " ".join(tags[kind].format(cell(text)) for kind, text in change.segments)


def _title(item: ProductDiff, link_base: str) -> str:
    title = cell(item.title) or f"product {item.pid}"
    if item.kind == "deleted" or not item.path:
        return title
    return f"[{title}]({link_base}{quote(item.path)})"


def _what(item: ProductDiff) -> str:
    if item.kind != "changed":
        return f"{item.kind}: {cell(item.changes[0].words)}" if item.changes else item.kind
    return f"{len(item.changes)} change(s)"


def _rest(left: int, old: str, new: str) -> str:
    return f"… and {left} more product(s) not shown here: run `ecomgit diff {old[:10]} {new[:10]}` to see every change."


def cell(text: str, most: int = CELL_MOST) -> str:
    """``text`` safe inside a Markdown table cell: one line, HTML and Markdown syntax escaped."""
    one = one_line(" ".join(text.split()))  # then no control character or lone surrogate is left
    if len(one) > most:
        one = f"{one[:most]}… ({len(one) - most} more characters)"
    return _SPECIAL.sub(r"\\\1", html.escape(one, quote=False)).replace("@", "&#64;")
