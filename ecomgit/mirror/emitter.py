"""A small, fast emitter for the mirror's canonical YAML.

Mirror files are plain trees of mappings, lists and scalars in block style, so writing them needs
far less than a general YAML emitter (ruamel's pure-Python one costs ~80 ms per product; this one
well under 1 ms). ruamel.yaml still parses every file, and the tests check that any string and any
tree round-trips exactly through this emitter and ruamel's loader.

Scalar styles, decided per string:

- plain, when the text is unambiguous as a plain scalar (conservatively: no indicator at the
  start, no ``: `` or `` #``, no edge whitespace, not readable as a bool/null/number/date in YAML 1.1
  or 1.2);
- a literal block (``|``, ``|-``, ``|+``, with an indentation indicator when the text starts with a
  space) for multi-line text a literal block holds exactly; when every line break is a CRLF, a
  double-quoted scalar in lines instead (each ending ``\\r\\n\\``: standard YAML any reader takes;
  files written before hold ``!crlf`` literal blocks, still read);
- single-quoted for other printable one-line text without an apostrophe (double-quoted with one);
- double-quoted with escapes for everything else (lone CRs, control characters, NEL, LS/PS, BOM);
- tagged ``!escaped`` for text holding a lone surrogate (``"\\ud800"``, legal in the API's JSON, but
  not in UTF-8, and YAML readers refuse its escape): the scalar is the text with each backslash
  doubled and each lone surrogate written ``\\udXXX``, so ``!escaped 'a\\ud800b'`` reads back as
  ``"a\\ud800b"`` exactly (``ecomgit.mirror.yamlio`` decodes it).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ruamel.yaml.resolver import VersionedResolver

CRLF_TAG = "!crlf"  # what earlier versions tagged CRLF literal blocks with: still read, no longer written
ESCAPED_TAG = "!escaped"
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters no plain, quoted or block scalar carries verbatim (YAML non-printables, NEL, LS, PS,
# BOM): text holding one is written double-quoted with escapes.
NOT_VERBATIM = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_PLAIN_BAD = re.compile(r": |:$|\s#|\t|[\n\r]")
_YAML11_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"])
_RESOLVER = VersionedResolver()
# ruamel's implicit resolvers for YAML 1.2, by first character; looked up once (``resolve`` finds
# its version through a property that raises and catches two exceptions per call)
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _RESOLVER.versioned_resolver
_STR = "tag:yaml.org,2002:str"
_INDENT = 2


def dump(data: Any) -> str:
    """``data`` (dicts, lists, str, int, float, bool, None) as canonical block-style YAML."""
    out: list[str] = []
    if isinstance(data, Mapping) and data:
        _mapping(data, 0, out)
    elif isinstance(data, list) and data:
        _sequence(data, 0, out)
    else:
        out.append(_inline(data) + "\n")
    return "".join(out)


def _mapping(data: Mapping[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        _value(f"{pad}{_key(key)}:", value, indent, out)


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if type(item) is str:  # the common case first (exact type checks are cheap, ABC ones are not)
            out.append(f"{pad}- {_string(item)}\n")  # (no literal blocks directly in lists)
        elif isinstance(item, dict | Mapping) and item:
            first = True
            for key, value in item.items():
                head = f"{pad}- {_key(key)}:" if first else f"{pad}  {_key(key)}:"
                _value(head, value, indent + _INDENT, out)
                first = False
        elif isinstance(item, list) and item:
            out.append(f"{pad}-\n")
            _sequence(item, indent + _INDENT, out)
        else:
            out.append(f"{pad}- {_inline(item)}\n")


def _value(head: str, value: Any, indent: int, out: list[str]) -> None:
    """``head`` (``key:`` or ``-``) followed by ``value``; nested blocks indent under the key."""
    if type(value) is str:
        if "\n" in value and (block := _literal(value, indent + _INDENT)):
            out.append(f"{head} {block}")
        else:
            out.append(f"{head} {_string(value)}\n")
    elif isinstance(value, dict | Mapping) and value:
        out.append(head + "\n")
        _mapping(value, indent + _INDENT, out)
    elif isinstance(value, list) and value:
        out.append(head + "\n")
        _sequence(value, indent, out)  # lists under a key sit at the key's indent ("offset 0")
    elif isinstance(value, str) and "\n" in value and (block := _literal(value, indent + _INDENT)):
        out.append(f"{head} {block}")
    else:
        out.append(f"{head} {_inline(value)}\n")


def _key(key: Any) -> str:
    return _inline(key if isinstance(key, str) else str(key))


def _inline(value: Any) -> str:
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict | Mapping):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _string(str(value))


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = repr(value)
    return text if ("." in text or "e" in text or "n" in text) else text + ".0"


@lru_cache(maxsize=65536)
def _string(text: str) -> str:
    if _plain_ok(text):
        return text
    if NOT_VERBATIM.search(text) is None and not any(c in text for c in "\n\r'"):
        return "'" + text + "'"
    return _double_quoted(text)


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or not _PLAIN_START.match(text) or _PLAIN_BAD.search(text):
        return False
    if NOT_VERBATIM.search(text) or text.lower() in _YAML11_WORDS or text.startswith(("---", "...")):
        return False
    if (text[0].isdigit() or text[0] in "+.") and _looks_numeric(text):
        return False
    return _resolves_to_str(text)


def _resolves_to_str(text: str) -> bool:
    """Whether a YAML 1.2 reader takes the plain scalar ``text`` as a string (as ruamel's
    ``Resolver.resolve`` decides it: the first implicit resolver that matches names the tag)."""
    for tag, regexp in [*_IMPLICIT.get(text[0] if text else "", ()), *_IMPLICIT.get(None, ())]:
        if regexp.match(text):
            return str(tag) == _STR
    return True


def _looks_numeric(text: str) -> bool:
    """YAML 1.1 readers also take ``1_000``, ``0o17``, ``1:20`` (sexagesimal) as numbers."""
    return re.fullmatch(r"[-+]?[0-9][0-9_:.]*([eE][-+]?[0-9]+)?|0[oxb][0-9a-fA-F_]+", text) is not None


def _double_quoted(text: str) -> str:
    if _SURROGATE.search(text):
        return _escaped(text)
    return _quoted(text)


def _quoted(text: str) -> str:
    """``text`` as a double-quoted scalar on one line: JSON's escapes, and YAML's for what YAML
    does not carry verbatim."""
    return NOT_VERBATIM.sub(_escape, json.dumps(text, ensure_ascii=False))


def _escaped(text: str) -> str:
    """``text`` with lone surrogates as a tagged, pure-Unicode scalar (see the module docstring)."""
    written = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\\", "\\\\"))
    return f"{ESCAPED_TAG} {_string(written)}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _literal(text: str, indent: int) -> str | None:
    """A literal block for ``text`` whose lines sit at ``indent`` (CRLF text: a double-quoted scalar
    in lines, see :func:`_crlf_lines`), or None if none holds it exactly."""
    if "\r" in text:
        return _crlf_lines(text, indent) if _crlf_only(text) else None
    if NOT_VERBATIM.search(text) or not text.strip():
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    first = next(line for line in body.split("\n") if line)
    indicator = str(_INDENT) if first[0] in " \t" else ""
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    lines += [""] * (trailing - 1 if trailing > 1 else 0)
    return f"|{indicator}{chomp}\n" + "\n".join(lines) + "\n"


def _crlf_lines(text: str, indent: int) -> str | None:
    """Text whose every line break is a CRLF, as standard YAML that keeps a line per line: a
    double-quoted scalar in which each line ends with the ``\\r\\n`` escape and an escaped line
    break (which the reader drops, with the next line's indentation), so any YAML reader gives back
    the exact text and a changed paragraph is one changed line:

        content: "<p>a</p>\\r\\n\\
          <p>b</p>"
    """
    if _SURROGATE.search(text):
        return None
    pad = " " * indent
    lines = []
    for number, line in enumerate(text.split("\r\n")):
        body = _quoted(line)[1:-1]
        if number and body.startswith(" "):  # a reader drops a continued line's leading spaces
            body = "\\" + body
        lines.append(body)
    return '"' + ("\\r\\n\\\n" + pad).join(lines) + '"\n'


def _crlf_only(text: str) -> bool:
    rest = text.replace("\r\n", "")
    return "\r\n" in text and "\r" not in rest and "\n" not in rest
