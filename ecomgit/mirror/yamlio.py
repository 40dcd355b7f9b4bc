"""The one YAML factory: files are written by ``emitter`` and read by ruamel.yaml (safe loader).

Writing is canonical and exact for any text (see ``ecomgit.mirror.emitter``); reading restores
``!crlf`` literal blocks to CRLF text and ``!escaped`` scalars to text with lone surrogates, and
turns syntax errors into MirrorFileError with file and line.

Anchors and aliases (``&a`` / ``*a``) are refused before anything is built from the text: ecomgit
never writes them, and a few lines of nested aliases ("billion laughs") expand to more values than
any machine holds, so a file with them would hang ``check``, ``push`` and CI.

Nesting deeper than :data:`MAX_DEPTH` is refused the same way, before the loader sees it: ecomgit
writes at most a handful of levels, while a few hundred kilobytes of ``[[[[…]]]]`` make libyaml's
parser quadratic, crash its recursive composer (a segmentation fault, no message) and the pure
Python readers (RecursionError). Whether a file may be that deep is judged from its text at C
speed (brackets, long ``- - -`` chains, deep indentation); only then are its events counted.
"""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
)
from ruamel.yaml.nodes import Node, ScalarNode

from ecomgit.errors import MirrorFileError
from ecomgit.mirror import emitter

CRLF_TAG = emitter.CRLF_TAG
ESCAPED_TAG = emitter.ESCAPED_TAG
# where an anchor or alias may start: at a line start, after a space or a flow indicator
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)
MAX_DEPTH = 64  # nested collections; a product file has at most 4
# text that may nest deeper than MAX_DEPTH: a block collection needs a new line with a deeper indent
# or a compact "- " / "? " on the line, a flow collection a "[" or "{"
_MAYBE_DEEP = re.compile(rf"^[ \t]{{{MAX_DEPTH // 4}}}|(?:[-?][ \t]+){{{MAX_DEPTH // 8}}}", re.MULTILINE)
_ESCAPE = re.compile(r"\\(\\|u[dD][89a-fA-F][0-9a-fA-F]{2})")


def _construct_crlf(constructor: SafeConstructor, node: ScalarNode) -> str:
    value = constructor.construct_scalar(node)
    return str(value).replace("\n", "\r\n")


def _construct_escaped(constructor: SafeConstructor, node: ScalarNode) -> str:
    """``\\\\`` is a backslash and ``\\udXXX`` a lone surrogate; nothing else is an escape."""
    value = str(constructor.construct_scalar(node))
    return _ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else chr(int(m[1][1:], 16)), value)


def make_yaml() -> YAML:
    """A safe YAML loader that understands the mirror's ``!crlf`` tag (libyaml-based when available)."""
    yaml = YAML(typ="safe")
    yaml.constructor.add_constructor(CRLF_TAG, _construct_crlf)
    yaml.constructor.add_constructor(ESCAPED_TAG, _construct_escaped)
    return yaml


_YAML = make_yaml()


def dump(data: Any) -> str:
    """Render ``data`` (plain dicts/lists/scalars, already in canonical order) as YAML text."""
    return emitter.dump(data)


_LOADED: OrderedDict[str, Any] = OrderedDict()  # text → its values (each caller gets a copy)
_LOADED_MAX = 4096  # texts; only texts up to _LOADED_TEXT_MAX are kept
_LOADED_TEXT_MAX = 256 * 1024


def forget() -> None:
    """Drop the parsed texts kept for this process (a long-running one, after each sync)."""
    _LOADED.clear()


def load(text: str, path: str) -> Any:
    """Parse YAML text; a syntax error, an anchor, an alias or nesting deeper than :data:`MAX_DEPTH`
    becomes a MirrorFileError with file and line.

    One command reads the same product file several times (a sync compares with the file it
    replaces, a push with its base and HEAD, the checks), and parsing is nearly all a read costs
    (2 ms a product, a copy 0.05 ms): what a text gives is remembered, and each caller gets its
    own copy to change. A text that does not parse raises, with its own place, every time."""
    found = _LOADED.get(text)
    if found is None:
        found = _parse(text, path)
        if len(text) <= _LOADED_TEXT_MAX:
            _LOADED[text] = found
            if len(_LOADED) > _LOADED_MAX:
                _LOADED.popitem(last=False)
    else:
        _LOADED.move_to_end(text)
    return copy.deepcopy(found)


_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*:(?: |$)")


def load_by_key(text: str, path: str) -> Any:
    """:func:`load` for many versions of one file: a canonical file (a mapping whose keys start at
    the line start, nothing else there but list items) is read key by key, each ``key: value`` part
    remembered by its text, so the versions of a product in its history parse only the parts each
    one changed. The same values as :func:`load`; any other text, or one that fails, is :func:`load`'s."""
    parts: list[str] = []
    for line in text.splitlines(keepends=True):
        if _TOP_KEY.match(line):
            parts.append(line)
        elif parts and (line[:1] in (" ", "\t", "\n", "\r") or line.startswith("- ")):
            parts[-1] += line
        else:
            return load(text, path)
    found: dict[Any, Any] = {}
    try:
        for part in parts:
            value = load(part, path)
            if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) in found:
                return load(text, path)
            found.update(value)
    except MirrorFileError:
        return load(text, path)  # raises with the whole file's line
    return found if found else load(text, path)


def _parse(text: str, path: str) -> Any:
    refuse_aliases(text, path)
    try:
        return _YAML.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise MirrorFileError(path, f"{problem}; fix the YAML syntax there", line=line) from None
    except YAMLError as exc:
        raise MirrorFileError(path, f"invalid YAML ({exc}); fix the file") from None


def compose(text: str) -> Node | None:
    """The node tree of YAML text (with line marks; tags such as ``!crlf`` are kept, not resolved).

    ``None`` for an empty document or text that does not parse.
    """
    try:
        refuse_aliases(text, "")
        node: Node | None = _YAML.compose(text)
    except (YAMLError, MirrorFileError):
        return None
    return node


def refuse_aliases(text: str, path: str) -> None:
    """Raise MirrorFileError at the first anchor or alias, or where nesting passes :data:`MAX_DEPTH`;
    only the parser's events are read (they never expand an alias, and reading stops at the first
    refusal), and only when the text may hold one."""
    deep = text.count("[") + text.count("{") > MAX_DEPTH // 2 or _MAYBE_DEEP.search(text) is not None
    if not deep and _MAYBE_ANCHOR.search(text) is None:
        return
    depth = 0
    try:
        for event in _YAML.parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if depth > MAX_DEPTH:
                mark = getattr(event, "start_mark", None)
                raise MirrorFileError(
                    path,
                    f"values nested more than {MAX_DEPTH} levels deep; mirror files never are: "
                    "restore the file from git",
                    line=mark.line + 1 if mark is not None else None,
                )
            anchor = getattr(event, "anchor", None)
            if anchor is None:
                continue
            what = f"an alias (*{anchor})" if isinstance(event, AliasEvent) else f"an anchor (&{anchor})"
            mark = getattr(event, "start_mark", None)
            raise MirrorFileError(
                path,
                f"{what}: YAML anchors and aliases are not allowed in mirror files; write the value out in full",
                line=mark.line + 1 if mark is not None else None,
            )
    except YAMLError:
        return  # a syntax error: the loader reports it with its line
