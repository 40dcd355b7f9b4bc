"""``ecomgit diff``: what changed between two revisions, per product and field, in words.

Products are compared by id (a renamed folder is the same product) as field paths
(:mod:`ecomgit.write.fields`): ``title [en]: 'A' → 'B'``, ``variant 118583391 (AN-52)
oldPriceExcl: 0 → 25``; long text as a word-level diff; images by their bytes (added, removed,
replaced under the same name, reordered); new and deleted products as such.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ecomgit import commits, gitrepo
from ecomgit.api.values import as_str
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout, markers, yamlio
from ecomgit.revisions import Version, version_at, versions_at
from ecomgit.text import one_line
from ecomgit.write.fields import MISSING, flatten, is_mark, label, show

_LONG = 60  # text longer than this (or with line breaks) is shown as a word-level diff
REWRITE_SHARE = 0.5  # … unless it keeps less than this share of its words: then old and new, whole


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    words: str  # the change in words
    segments: list[tuple[str, str]] | None = None  # a long text's change word by word (see word_segments)
    rewritten: bool = False  # a text changed so much that it is shown old and new, whole (is_rewrite)

    @property
    def change(self) -> str:
        """The change without the field's name in front."""
        prefix = f"{self.field}: "
        return self.words[len(prefix) :] if self.words.startswith(prefix) else self.words

    def to_json(self) -> dict[str, Any]:
        out = {"field": self.field, "old": _plain(self.old), "new": _plain(self.new), "text": self.words}
        return {**out, "rewritten": True} if self.rewritten else out

    def lines(self) -> list[str]:
        """The change for a terminal: one line, or a rewritten text's old and new, whole, line by line."""
        if not self.rewritten:
            return [self.words]
        out = [f"{self.field} (rewritten):"]
        for tag, text in (("old", self.old), ("new", self.new)):
            rows = str(text).splitlines() or ["(empty)"]
            out.append(f"  {tag}: {one_line(rows[0])}")
            out += [f"       {one_line(row)}" for row in rows[1:]]
        return out


@dataclass
class ProductDiff:
    pid: int
    title: str
    kind: str  # new | deleted | changed
    changes: list[FieldChange] = field(default_factory=list)
    path: str = ""  # the product file (the new one; the old one for a deleted product)

    def lines(self) -> list[str]:
        mark = {"new": "+", "deleted": "-", "changed": "~"}[self.kind]
        head = f"{mark} {self.pid} {self.title}" + ("" if self.kind == "changed" else f" ({self.kind})")
        return [head, *(f"    {line}" for change in self.changes for line in change.lines())]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.pid,
            "title": self.title,
            "kind": self.kind,
            "changes": [change.to_json() for change in self.changes],
        }


def diff(root: Path, old: str, new: str | None, languages: list[str], product: int | None = None) -> list[ProductDiff]:
    """The products that differ between revisions ``old`` and ``new`` (None: the work tree), in id order."""
    return list(iter_diff(root, old, new, languages, product))


BATCH = 250  # products read from git together: bounded memory, and a reader that stops early stops soon


def iter_diff(
    root: Path, old: str, new: str | None, languages: list[str], product: int | None = None
) -> Iterator[ProductDiff]:
    """:func:`diff`, one product at a time (``diff --markdown`` stops at GitHub's comment size).

    The products on both sides are read from git in batches and compared field by field; a product
    on one side only (new or deleted) is said from its file's title and counts, read without
    building the whole product where the file is in the mirror's canonical form."""
    changed, reviewed = _changed_products(root, old, new)
    if product is not None:
        changed = [pid for pid in changed if pid == product]
    sides = _listed(root, old), _listed(root, new) if new is not None else None
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        both = [pid for pid in batch if sides[1] is None or (pid in sides[0] and pid in sides[1])]
        befores = versions_at(root, old, both)
        afters = versions_at(root, new, both) if new is not None else _work_tree(root, both)
        quick = _quick(root, languages[0], sides, [pid for pid in batch if pid not in both])
        for pid in batch:
            if pid in quick:
                yield quick[pid]
                continue
            before, after = befores.get(pid), afters.get(pid)
            if pid not in both:  # not in the canonical form: read whole
                before, after = version_at(root, old, pid), version_at(root, new, pid)
            if before is None and after is None:
                continue
            found = compare(before, after, languages)
            if pid in reviewed and before is not None and after is not None:
                found.changes += review_changes(before.reviews(), after.reviews())
            if found.kind != "changed" or found.changes:  # files rewritten to the same content are no change
                yield found


def expected_counts(root: Path, old: str, new: str | None) -> Counter[str]:
    """How many products are new, changed and deleted by the files that differ (a changed file
    that says the same is counted here, and dropped by :func:`iter_diff`): without reading one."""
    changed, _ = _changed_products(root, old, new)
    before = _listed(root, old)
    after = _listed(root, new) if new is not None else None
    counts: Counter[str] = Counter()
    for pid in changed:
        if after is None or (pid in before and pid in after):
            counts["changed" if pid in before else "new"] += 1
        else:
            counts["deleted" if pid in before else "new"] += 1
    return counts


def _listed(root: Path, rev: str) -> dict[int, commits.Folder]:
    """The products at ``rev`` by id (the first folder by name, as ``folder_at``)."""
    commit = commits.commit_id(root, rev)
    out: dict[int, commits.Folder] = {}
    for name, entry in (commits.products(root, commit) if commit is not None else {}).items():
        pid = layout.folder_product_id(name)
        if pid is not None and pid not in out:
            out[pid] = entry
    return out


def _work_tree(root: Path, pids: list[int]) -> dict[int, Version]:
    return {pid: version for pid in pids if (version := version_at(root, None, pid)) is not None}


def _quick(
    root: Path,
    language: str,
    sides: tuple[dict[int, commits.Folder], dict[int, commits.Folder] | None],
    one_sided: list[int],
) -> dict[int, ProductDiff]:
    """Products on one side only, said from a look at their file's text (see :func:`_glance`)."""
    entries = {}
    for pid in one_sided:
        entry = sides[0].get(pid) or (sides[1] or {}).get(pid)
        if entry is not None and entry.product_blob:
            entries[pid] = entry
    data = commits.read_blobs(root, [entry.product_blob for entry in entries.values() if entry.product_blob])
    out = {}
    for pid, entry in entries.items():
        raw = data.get(entry.product_blob or "")
        seen = _glance(raw.decode("utf-8", "replace"), language) if raw is not None else None
        if seen is None:
            continue
        title, variants, images = seen
        kind = "deleted" if pid in sides[0] else "new"
        path = f"{layout.PRODUCTS_DIR}/{entry.name}/{layout.PRODUCT_FILE}"
        summary = FieldChange("product", None, None, f"{variants} variant(s), {images} image(s)")
        out[pid] = ProductDiff(pid, title, kind, [summary], path)
    return out


_SECTION = re.compile(r"^(\w+):(.*)\n", re.MULTILINE)


def _glance(text: str, language: str) -> tuple[str, int, int] | None:
    """A canonical product file's title in ``language`` and its variant and image counts, without
    building the product (a new product of a first sync costs a millisecond instead of several);
    None when the text is not in the form the mirror writes (then it is read whole)."""
    sections: dict[str, str] = {}
    heads = list(_SECTION.finditer(text))
    for number, head in enumerate(heads):
        end = heads[number + 1].start() if number + 1 < len(heads) else len(text)
        sections[head[1]] = head[2] + "\n" + text[head.end() : end]
    counts = []
    for key in ("variants", "images"):
        body = sections.get(key)
        if body is None:
            return None
        first, _, items = body.partition("\n")
        if first.strip() == "[]" and not items.strip():
            counts.append(0)
            continue
        lines = items.splitlines()
        if first.strip() or not all(line.startswith(("- ", "  ")) for line in lines):
            return None
        counts.append(sum(1 for line in lines if line.startswith("- ")))
    title = sections.get("title", "")
    found = re.search(rf"^  {re.escape(language)}: (.*)$", title, re.MULTILINE)
    if found is None:
        return None
    value = found[1]
    if value[:1] in ("'", '"'):
        try:
            value = yamlio.load(f"v: {value}\n", "title")["v"]
        except (MirrorError, KeyError, TypeError):
            return None
    elif value[:1] in ("|", ">", "!", "&", "*", "[", "{") or " #" in value:
        return None
    return one_line(str(value)), counts[0], counts[1]


def _changed_products(root: Path, old: str, new: str | None) -> tuple[list[int], set[int]]:
    """The products whose files differ, and those among them whose reviews.yaml does."""
    scope = str(layout.PRODUCTS_DIR)
    if new is None:  # the work tree: edited tracked files, and new files git does not know yet
        names = gitrepo.run(root, "diff", "--name-only", "-z", "--no-renames", old, "--", scope)
        names += "\0" + gitrepo.run(root, "ls-files", "-z", "--others", "--exclude-standard", "--", scope)
    else:
        names = gitrepo.run(root, "diff", "--name-only", "-z", "--no-renames", old, new, "--", scope)
    ids, reviewed = set(), set()
    for name in names.split("\0"):
        parts = name.split("/")
        if len(parts) > 2 and (pid := layout.folder_product_id(parts[1])) is not None:
            ids.add(pid)
            if parts[2:] == [layout.REVIEWS_FILE]:
                reviewed.add(pid)
    return sorted(ids), reviewed


def review_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[FieldChange]:
    """Reviews added or removed, and a review's visibility or words changed (by review id)."""
    old, new = ({r.get("id"): r for r in side} for side in (before, after))
    out = []
    for rid in sorted({*old, *new}, key=lambda r: r or 0):
        a, b = old.get(rid), new.get(rid)
        if a == b:
            continue
        shown = b or a or {}
        who = f"review {rid} ({one_line(as_str(shown.get('name'))) or 'anonymous'}, {shown.get('score')}/5)"
        if a is None or b is None:
            out.append(FieldChange(who, a, b, f"{who} {'added' if a is None else 'removed'}"))
            continue
        for key in ("visible", "score", "content", "name", "language", "date"):
            if a.get(key) != b.get(key):
                out.append(
                    FieldChange(
                        f"{who} {key}", a.get(key), b.get(key), f"{who} {key}: {_words(a.get(key), b.get(key))}"
                    )
                )
    return out


def compare(before: Version | None, after: Version | None, languages: list[str]) -> ProductDiff:
    default = languages[0]
    shown = after or before
    assert shown is not None
    title = one_line(as_str((shown.product.get("title") or {}).get(default)))
    if before is None or after is None:
        kind = "new" if before is None else "deleted"
        return ProductDiff(shown.pid, title, kind, [_summary(shown)], shown.path)
    result = ProductDiff(after.pid, title, "changed", path=after.path)
    variants = {v.get("id"): v for v in [*_variants(before), *_variants(after)]}

    names = {
        ident: str(name)
        for version in (before, after)
        for name in (i.get("file") for i in version.product.get("images") or [] if isinstance(i, Mapping))
        if (ident := version.image_ident(str(name))) is not None
    }

    def describe(key: Hashable) -> str:  # a variant, or an image (keyed by the identity of its bytes)
        if isinstance(key, str):
            return f"image {names.get(key, key[:12])}"
        code = as_str(variants.get(key, {}).get("sku")) or as_str(variants.get(key, {}).get("articleCode"))
        return f"variant {key}" + (f" ({code})" if code else "")

    old = flatten(before.product, languages, before.image_ident, _vid)
    new = flatten(after.product, languages, after.image_ident, _vid)
    for path in [*old, *(p for p in new if p not in old)]:
        a, b = old.get(path, MISSING), new.get(path, MISSING)
        if a == b:
            continue
        name = label(path, describe)
        if path == ("images",):
            result.changes += _images(before, after)
        elif path[0] == "variants" and len(path) == 2:
            verb = "added" if a is MISSING else "removed"
            result.changes.append(FieldChange(name, a, b, f"{name} {verb}"))
        elif path[0] == "variants" and path[2:] == ("image",):
            a, b = _variant_image(before, path[1]), _variant_image(after, path[1])
            result.changes.append(FieldChange(name, a, b, f"{name}: {show(a)} → {show(b)}"))
        elif path[0] in ("categories", "tags") and len(path) == 2:
            verb = "added" if a is MISSING else "removed"
            result.changes.append(FieldChange(name, a, b, f"{_link_name(before, after, path)} {verb}"))
        elif path in (("attributes",), ("filters",), ("quantityDiscounts",)) or is_mark(path):
            continue  # the mark that a file holds the key (one an older file lacks): nothing to say
        elif path[0] in ("type", "set"):
            a, b = _ref_name(before, path[0]), _ref_name(after, path[0])
            result.changes.append(FieldChange(name, a, b, f"{path[0]}: {show(a)} → {show(b)}"))
        elif path[0] == "variants" and path[2:] == ("options",):
            a, b = _option_words(before, path[1]), _option_words(after, path[1])
            result.changes.append(FieldChange(name, a, b, f"{name}: {show(a)} → {show(b)}"))
        elif path[0] == "quantityDiscounts":
            result.changes.append(FieldChange(name, a, b, f"{name}: {show(a, path=path)} → {show(b, path=path)}"))
        elif path[0] == "attributes":
            result.changes.append(text_change(_attribute_name(before, after, path[1]), a, b))
        elif path[0] == "filters" and len(path) == 3:
            verb = "added" if a is MISSING else "removed"
            result.changes.append(FieldChange(name, a, b, f"{_filter_name(before, after, path)} {verb}"))
        else:
            result.changes.append(text_change(name, a, b))
    return result


def text_change(name: str, old: Any, new: Any) -> FieldChange:
    """A field's change in words: ``old → new`` for a value, a long text word by word, a
    rewritten text old and new, whole."""
    if _is_long(old, new) and is_rewrite(old, new):
        return FieldChange(name, old, new, f"{name}: {whole(old)} → {whole(new)}", rewritten=True)
    return FieldChange(name, old, new, f"{name}: {_words(old, new)}", _segments(old, new))


def is_rewrite(old: str, new: str) -> bool:
    """Whether ``new`` keeps less than :data:`REWRITE_SHARE` of the words of the longer of the two
    (a text written anew, added to an empty field or emptied): a word diff would interleave most of
    it and never show the new text as written."""
    a, b = tuple(old.split()), tuple(new.split())
    kept = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes(a, b) if tag == "equal")
    return kept < REWRITE_SHARE * max(len(a), len(b))


Opcode = tuple[str, int, int, int, int]


@lru_cache(maxsize=256)
def opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[Opcode, ...]:
    """``difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()`` with the common start and
    end taken off first: a few words changed in a long text cost their own length, not the text's
    squared (a product's timeline compares hundreds of long descriptions). Remembered: a change is
    described in words and in runs from the same comparison."""
    start, most = 0, min(len(a), len(b))
    while start < most and a[start] == b[start]:
        start += 1
    end = 0
    while end < most - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle = difflib.SequenceMatcher(None, a[start : len(a) - end], b[start : len(b) - end], autojunk=False)
    found: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    found += [(tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if end:
        found.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return tuple(found)


def whole(text: str) -> str:
    """A text on one line, whole (its line breaks and runs of spaces as one space), quoted."""
    return repr(one_line(" ".join(text.split()))) if text else "(empty)"


def _variants(version: Version) -> list[Mapping[str, Any]]:
    return [v for v in version.product.get("variants") or [] if isinstance(v, Mapping)]


def _vid(variant: Mapping[str, Any]) -> Hashable:
    return variant.get("id") if isinstance(variant.get("id"), int) else ("new", as_str(variant.get("sku")))


def _variant_image(version: Version, key: Hashable) -> str | None:
    variant = next((v for v in _variants(version) if _vid(v) == key), None)
    image = variant.get("image") if variant else None
    return image if isinstance(image, str) else None


def _summary(version: Version) -> FieldChange:
    product = version.product
    counts = f"{len(product.get('variants') or [])} variant(s), {len(product.get('images') or [])} image(s)"
    return FieldChange("product", None, None, counts)


def _link_name(before: Version, after: Version, path: tuple[Any, ...]) -> str:
    key = "url" if path[0] == "categories" else "title"
    for version in (after, before):
        for item in version.product.get(path[0]) or []:
            if isinstance(item, Mapping) and item.get("id") == path[1] and item.get(key):
                return f"{'category' if path[0] == 'categories' else 'tag'} {one_line(as_str(item.get(key)))}"
    return label(path)


def _ref_name(version: Version, key: str) -> str | None:
    """A type's title or an option set's name (else its id), or None."""
    found = version.product.get(key)
    if not isinstance(found, Mapping):
        return None
    return one_line(as_str(found.get("title" if key == "type" else "name"))) or str(found.get("id"))


def _option_words(version: Version, key: Hashable) -> str | None:
    """``Kleur: Zwart, Maat: M``: a variant's option/value pairs."""
    variant = next((v for v in _variants(version) if _vid(v) == key), None)
    if variant is None or "options" not in variant:
        return None
    pairs = [
        (o.get("option") or {}, o.get("value") or {}) for o in variant.get("options") or [] if isinstance(o, Mapping)
    ]
    return ", ".join(f"{as_str(h.get('name'))}: {as_str(v.get('name'))}" for h, v in pairs) or "(none)"


def _attribute_name(before: Version, after: Version, aid: Any) -> str:
    """``attribute Framemateriaal`` (the title the file holds), else ``attribute 7401``."""
    for version in (after, before):
        for entry in version.product.get("attributes") or []:
            if isinstance(entry, Mapping) and entry.get("id") == aid and entry.get("title"):
                return f"attribute {one_line(as_str(entry.get('title')))}"
    return f"attribute {aid}"


def _filter_name(before: Version, after: Version, path: tuple[Any, ...]) -> str:
    """``filter Kleur: Zwart`` (the titles the file holds), else ``filter 5 value 7``."""
    for version in (after, before):
        for entry in version.product.get("filters") or []:
            head = entry.get("filter") if isinstance(entry, Mapping) else None
            value = entry.get("value") if isinstance(entry, Mapping) else None
            if (
                isinstance(head, Mapping)
                and isinstance(value, Mapping)
                and (head.get("id"), value.get("id")) == path[1:]
            ):
                return f"filter {one_line(as_str(head.get('title')))}: {one_line(as_str(value.get('title')))}"
    return label(path)


def _images(before: Version, after: Version) -> list[FieldChange]:
    """Images added, removed, replaced (new bytes under the same name), fetched (listed as not
    fetched before) or moved, by the identity of their bytes, counted as push writes them: each
    image the new list holds more often than the old is uploaded, each the old holds more often is
    removed, so a file overwritten with another image's bytes is that image replaced (by a copy),
    never a reorder."""
    old = [(name, before.image_ident(name)) for name in _image_names(before)]
    new = [(name, after.image_ident(name)) for name in _image_names(after)]
    return image_changes(old, new)


def image_changes(old: list[tuple[str, str | None]], new: list[tuple[str, str | None]]) -> list[FieldChange]:
    """The changes from images ``old`` to ``new`` (each ``(file name, identity of its bytes)`` in
    order), as :func:`_images` says them."""
    before_by_stem = {_stem(name): ident for name, ident in old}
    after_by_stem = {_stem(name): ident for name, ident in new}
    changed_new = {name for name, ident in new if before_by_stem.get(_stem(name), ident) != ident}
    changed_old = {name for name, ident in old if after_by_stem.get(_stem(name), ident) != ident}
    gone = _surplus(old, Counter(ident for _, ident in new), changed_old)
    came = _surplus(new, Counter(ident for _, ident in old), changed_new)
    by_stem = {_stem(name): (name, ident) for name, ident in gone}
    changes = []
    for name, ident in came:
        copy = next((other for other, known in old + new if known == ident and other != name), None)
        twin = f" (a copy of {copy})" if copy else ""
        was = by_stem.pop(_stem(name), None)
        if was is not None and markers.is_ident(was[1]) and not markers.is_ident(ident):
            verb = "fetched"  # listed as not fetched before: the shop's image, its file now here
        else:
            verb = ("replaced" if was is not None else "added") + twin
        if markers.is_ident(ident):
            verb += " (not fetched: the file is not in the mirror yet)"
        changes.append(FieldChange("images", was[0] if was else None, name, f"image {name} {verb}"))
    changes += [FieldChange("images", name, None, f"image {name} removed") for name, _ in by_stem.values()]
    kept_old = [ident for item in old if item not in gone for _, ident in [item]]
    kept_new = [ident for item in new if item not in came for _, ident in [item]]
    if kept_old != kept_new:
        order = ", ".join(name for name, _ in new)
        changes.append(FieldChange("images", None, None, f"images reordered: {order}"))
    return changes


def _surplus(
    images: list[tuple[str, str | None]], other: Counter[str | None], changed: set[str]
) -> list[tuple[str, str | None]]:
    """The images of ``images`` beyond what ``other`` holds of the same bytes: of several copies,
    the one whose file name held other bytes on the other side (``changed``) first, else the last."""
    left = Counter(ident for _, ident in images) - other
    order = sorted(reversed(images), key=lambda item: item[0] not in changed)  # stable: changed names first
    out = set()
    for name, ident in order:
        if left[ident] > 0:
            left[ident] -= 1
            out.add((name, ident))
    return [item for item in images if item in out]


def _image_names(version: Version) -> list[str]:
    return [name for image in version.product.get("images") or [] if (name := markers.name(image)) is not None]


def _stem(name: str) -> str:
    """An image file's name without its ``NN-`` position."""
    return re.sub(r"^\d+-", "", name, flags=re.ASCII)


def _words(old: Any, new: Any) -> str:
    if _is_long(old, new):
        return word_diff(old, new)
    return f"{_value(old)} → {_value(new)}"


def _segments(old: Any, new: Any) -> list[tuple[str, str]] | None:
    return word_segments(old, new) if _is_long(old, new) else None


def _is_long(old: Any, new: Any) -> bool:
    return isinstance(old, str) and isinstance(new, str) and is_long(old, new)


def is_long(*texts: str) -> bool:
    """Whether a text is shown by what changed in it (long, or in lines) rather than whole."""
    return max(len(text) for text in texts) > _LONG or any("\n" in text for text in texts)


def _value(value: Any) -> str:
    """A short value whole: a text of up to ``_LONG`` characters is never cut (its quotes and any
    escapes make it longer than that)."""
    return str(value).lower() if isinstance(value, bool) else show(value, limit=4 * _LONG)


def word_diff(old: str, new: str, context: int = 4) -> str:
    """Only what changed in a long text, word by word, with a few words around it:
    ``… driving [-slow-]{+fast+} down …``."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    out = ""
    previous = ""
    for kind, text in word_segments(old, new, context):
        glue = "" if not out or (previous == "removed" and kind == "added") else " "
        out += glue + marks[kind].format(text)
        previous = kind
    return one_line(out)


_TOKEN = re.compile(r"\S+|\s+")


def word_segments(old: str, new: str, context: int = 4) -> list[tuple[str, str]]:
    """A long text's change as ``(kind, words)`` runs, kind ``same``, ``removed`` or ``added``;
    unchanged runs are cut to ``context`` words around each change (``…`` where words are left out)."""
    a, b = tuple(_TOKEN.findall(old)), tuple(_TOKEN.findall(new))
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            words = "".join(a[i1:i2]).split()
            if not parts and len(words) > context:  # the start: only the words just before the change
                parts.append(("same", "… " + " ".join(words[-context:])))
            elif len(words) > 2 * context:
                parts.append(("same", " ".join([*words[:context], "…", *words[-context:]])))
            elif words:
                parts.append(("same", " ".join(words)))
            continue
        removed, added = _cut("".join(a[i1:i2]).split()), _cut("".join(b[j1:j2]).split())
        parts += [(kind, text) for kind, text in (("removed", removed), ("added", added)) if text]
    if parts and parts[-1][0] == "same" and len(parts) > 1:
        words = parts[-1][1].split()
        parts[-1] = ("same", " ".join(words[:context]) + (" …" if len(words) > context else ""))
    return parts


def _cut(words: list[str], most: int = 16) -> str:
    """A removed or added run of words, at most ``most`` of them (the start and the end)."""
    if len(words) <= most:
        return " ".join(words)
    half = most // 2
    return " ".join([*words[:half], f"… ({len(words) - most} more words) …", *words[-half:]])


def _plain(value: Any) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, tuple):
        return list(value)
    return value
