"""The one YAML factory: canonical, never-wrapping, exact round trip of any text.

Strings with line breaks become literal blocks when a literal block can hold them exactly; text
whose every line break is CRLF becomes a literal block tagged ``!crlf`` (its CRLFs come back on
reading); anything else a literal block cannot hold (lone CRs, NEL, LS/PS, control characters, a
BOM) is written double-quoted with escapes. See docs/mirror-format.md.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import SafeRepresenter

from ecomgit.errors import MirrorFileError

CRLF_TAG = "!crlf"
_STR_TAG = "tag:yaml.org,2002:str"
# Characters a YAML block or plain scalar cannot carry verbatim (YAML 1.2 non-printables, the
# Unicode line/paragraph separators, NEL and BOM): such strings are written double-quoted.
_NOT_VERBATIM = re.compile(
    "[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


def _is_crlf_text(text: str) -> bool:
    """True when every line break in ``text`` is a CRLF (and there is at least one)."""
    if "\r\n" not in text:
        return False
    rest = text.replace("\r\n", "")
    return "\r" not in rest and "\n" not in rest


def _literal_ok(text: str) -> bool:
    return "\n" in text and _NOT_VERBATIM.search(text) is None


def _represent_str(representer: SafeRepresenter, text: str) -> ScalarNode:
    if _is_crlf_text(text):
        lf = text.replace("\r\n", "\n")
        if _literal_ok(lf):
            return representer.represent_scalar(CRLF_TAG, lf, style="|")
    if _literal_ok(text):
        return representer.represent_scalar(_STR_TAG, text, style="|")
    if "\n" in text or "\r" in text or _NOT_VERBATIM.search(text):
        return representer.represent_scalar(_STR_TAG, text, style='"')
    node: ScalarNode = representer.represent_str(text)
    return node


def _represent_float(representer: SafeRepresenter, value: float) -> ScalarNode:
    if value != value or value in (float("inf"), float("-inf")):
        return representer.represent_float(value)
    if value.is_integer() and abs(value) < 2**53:
        return representer.represent_int(int(value))
    return representer.represent_scalar("tag:yaml.org,2002:float", repr(value))


def _construct_crlf(constructor: SafeConstructor, node: ScalarNode) -> str:
    value = constructor.construct_scalar(node)
    return str(value).replace("\n", "\r\n")


def make_yaml() -> YAML:
    """A YAML instance configured for mirror files (pure Python: identical bytes everywhere)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.representer.add_representer(str, _represent_str)
    yaml.representer.add_representer(float, _represent_float)
    yaml.constructor.add_constructor(CRLF_TAG, _construct_crlf)
    return yaml


_YAML = make_yaml()


def dump(data: Any) -> str:
    """Render ``data`` (plain dicts/lists/scalars, already in canonical order) as YAML text."""
    buf = io.StringIO()
    _YAML.dump(data, buf)
    return buf.getvalue()


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
