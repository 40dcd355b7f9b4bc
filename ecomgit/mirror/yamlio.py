"""The one YAML factory: files are written by ``emitter`` and read by ruamel.yaml (safe loader).

Writing is canonical and exact for any text (see ``ecomgit.mirror.emitter``); reading restores
``!crlf`` literal blocks to CRLF text and ``!escaped`` scalars to text with lone surrogates, and
turns syntax errors into MirrorFileError with file and line.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import Node, ScalarNode

from ecomgit.errors import MirrorFileError
from ecomgit.mirror import emitter

CRLF_TAG = emitter.CRLF_TAG
ESCAPED_TAG = emitter.ESCAPED_TAG
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


def load(text: str, path: str) -> Any:
    """Parse YAML text; a syntax error becomes a MirrorFileError with file and line."""
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
        node: Node | None = _YAML.compose(text)
    except YAMLError:
        return None
    return node
