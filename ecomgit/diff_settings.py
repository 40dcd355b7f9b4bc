"""``ecomgit diff``: changes to the mirror's own settings, in words, beside the product changes.

A pull request that edits ``.ecomgit/config.yaml`` changes where the credentials go (``api_url``)
or what the mirror shows (``fields.include: + priceCost`` puts purchase costs in every product
file), and one that edits a ``.gitattributes`` changes how git treats the files: reviewers must
see such changes as plainly as a product's. The config is compared key by key
(``api_url: A → B``, ``languages: + de``); any other file under ``.ecomgit/`` and every
``.gitattributes`` line by line.

The config is read from its YAML node tree: no tag is resolved or run, and aliases are refused
rather than expanded (a pull request's alias bomb must not hang the review).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecomgit import gitrepo
from ecomgit.errors import MirrorFileError
from ecomgit.mirror import layout, yamlio
from ecomgit.text import one_line

_MOST_NODES = 2_000  # a config has a few dozen


@dataclass(frozen=True)
class SettingChange:
    file: str
    words: str  # the change in words, without the file

    def line(self) -> str:
        return f"{self.file}: {self.words}"

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "text": self.words}


def settings_diff(root: Path, old: str, new: str) -> list[SettingChange]:
    """What changed in ``.ecomgit/`` and in every ``.gitattributes`` from ``old`` to ``new``."""
    names = gitrepo.run(
        root, "diff", "--name-only", "-z", "--no-renames", old, new, "--", ".ecomgit", ":(glob)**/.gitattributes"
    )
    out: list[SettingChange] = []
    for name in sorted(n for n in names.split("\0") if n):
        before, after = gitrepo.blob(root, old, name), gitrepo.blob(root, new, name)
        if name == str(layout.CONFIG_FILE):
            out += _config(name, before, after)
        else:
            out += _lines(name, before, after)
    return out


def _config(name: str, before: bytes | None, after: bytes | None) -> list[SettingChange]:
    try:
        old, new = _settings(before), _settings(after)
    except ValueError as exc:
        return [SettingChange(name, f"cannot be compared key by key ({exc}); its lines:"), *_lines(name, before, after)]
    changes = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        if a != b:
            changes.append(SettingChange(name, f"{key}: {_change(a, b)}"))
    return changes


def _change(old: Any, new: Any) -> str:
    if isinstance(old, list) and isinstance(new, list):
        added = [f"+ {_show(x)}" for x in new if x not in old]
        removed = [f"− {_show(x)}" for x in old if x not in new]
        if added or removed:
            return ", ".join([*added, *removed])
        return f"order {_show(old)} → {_show(new)}"
    return f"{_show(old)} → {_show(new)}"


def _show(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, list):
        return ", ".join(_show(x) for x in value) if value else "[]"
    text = one_line(str(value))
    return text if text else "''"


def _settings(data: bytes | None) -> dict[str, Any]:
    """The config as ``dotted.key → scalar text or list``; {} when the file does not exist."""
    if data is None:
        return {}
    text = data.decode("utf-8", "replace")
    try:
        yamlio.refuse_aliases(text, "")
    except MirrorFileError as exc:
        raise ValueError("it uses YAML aliases" if "alias" in exc.detail else "it nests values too deeply") from None
    node = yamlio.compose(text)
    if node is None:
        if text.strip() and not all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
            raise ValueError("it is not valid YAML")
        return {}
    value = _plain(node, set())
    if not isinstance(value, Mapping):
        raise ValueError("it is not a mapping of settings")
    out: dict[str, Any] = {}
    _flatten(value, "", out)
    return out


def _plain(node: Node, seen: set[int]) -> Any:
    if id(node) in seen:
        raise ValueError("it uses YAML aliases")
    seen.add(id(node))
    if len(seen) > _MOST_NODES:
        raise ValueError(f"it has more than {_MOST_NODES} values")
    if isinstance(node, ScalarNode):
        return str(node.value)
    if isinstance(node, SequenceNode):
        return [_plain(item, seen) for item in node.value]
    if isinstance(node, MappingNode):
        return {str(_plain(key, seen)): _plain(value, seen) for key, value in node.value}
    raise ValueError("it holds an unknown YAML node")


def _flatten(value: Mapping[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping) and item:
            _flatten(item, f"{path}.", out)
        else:
            out[path] = _scalarish(item)


def _scalarish(item: Any) -> Any:
    """Lists compared item by item; a list item or value that is itself a mapping, as its text."""
    if isinstance(item, list):
        return [x if isinstance(x, str) else repr(x) for x in item]
    if isinstance(item, Mapping):
        return "{}"
    return item


def _lines(name: str, before: bytes | None, after: bytes | None) -> list[SettingChange]:
    if before is None or after is None:
        verb = "added" if before is None else "removed"
        changes = [SettingChange(name, f"the file was {verb}")]
    else:
        changes = []
    old = (before or b"").decode("utf-8", "replace").splitlines()
    new = (after or b"").decode("utf-8", "replace").splitlines()
    changes += [SettingChange(name, f"− {one_line(line)}") for line in old if line not in new]
    changes += [SettingChange(name, f"+ {one_line(line)}") for line in new if line not in old]
    return changes
