"""Nothing a write destroys goes without a trace in git.

The eCom API has no conditional writes, so two things can still happen to a value however late
the re-read before a write is (see :mod:`ecomgit.write.reread`):

- the write itself **overwrites a value no commit holds**: the shop's own edit since the last sync
  that ``push --ours`` or a restore writes over. Such values (the shop's text before the write,
  in full; the CDN address of an image removed) go into the record commit's message, under
  ``Overwritten in the shop``, so they can be put back;
- **someone else writes the same product while ecomgit writes it**. After the writes, the read-back
  is compared with both what was sent and what the re-read saw just before writing: a field that
  holds neither was changed by someone else meanwhile. A field ecomgit sent that now holds a third
  value is reported as that (not as "not as meant"), and the product is held back; a field it did
  not send that changed meanwhile is named in the record commit, whose files hold the new value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecomgit.api.values import as_int, as_str
from ecomgit.write.fields import MISSING, Path, is_mark


@dataclass(frozen=True)
class Overwritten:
    path: Path
    before: Any  # the shop's value just before the write (for images: the lost images' addresses)


def overwritten(
    changes: Mapping[Path, Any],
    before: Mapping[Path, Any],
    held: Sequence[Mapping[Path, Any]],
    images: Sequence[tuple[str | None, Mapping[str, Any]]] = (),
) -> list[Overwritten]:
    """The values ``changes`` writes over that none of ``held`` (the versions git holds: the base,
    the commit being written) has. ``images``: the live images (identity, row) before the write."""
    out: list[Overwritten] = []
    for path, new in changes.items():
        if path == ("images",):
            known = {ident for flat in held for ident in flat.get(path, ()) or ()} | set(new or ())
            lost = [row for ident, row in images if ident not in known]
            if lost:
                out.append(Overwritten(path, [_image(row) for row in lost]))
            continue
        paths = [path]
        if path[0] == "variants" and len(path) == 2 and new is MISSING:  # a variant deleted: all its fields
            paths += sorted((p for p in before if len(p) > 2 and p[:2] == path and not is_mark(p)), key=str)
        for p in paths:
            prior = before.get(p, MISSING)
            if prior is MISSING or prior == changes.get(p, MISSING if p != path else new):
                continue
            if any(flat.get(p, MISSING) == prior for flat in held):
                continue
            out.append(Overwritten(p, prior))
    return out


def _image(row: Mapping[str, Any]) -> str:
    return f"{as_str(row.get('src'))} (image {as_int(row.get('id'), 0)})"


def exact(value: Any) -> str:
    """A value written so that it can be recovered exactly: JSON, any text kept (lone surrogates
    as ``\\udXXX``)."""
    if isinstance(value, tuple):
        value = list(value)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def meanwhile(
    sent: Mapping[Path, Any],
    before: Mapping[Path, Any],
    after: Mapping[Path, Any],
    seen_again: Iterable[Path],
) -> tuple[dict[Path, tuple[Any, Any, Any]], dict[Path, tuple[Any, Any]]]:
    """Compare the read-back (``after``) with what was sent and with the re-read (``before``), for
    the paths read back (``seen_again``): the sent paths that hold neither (path → sent, before,
    now), and the paths not sent that changed (path → before, now)."""
    theirs_sent: dict[Path, tuple[Any, Any, Any]] = {}
    theirs_other: dict[Path, tuple[Any, Any]] = {}
    for path in seen_again:
        now, was = after.get(path, MISSING), before.get(path, MISSING)
        if path in sent:
            if now != sent[path] and now != was:
                theirs_sent[path] = (sent[path], was, now)
        elif now != was:
            theirs_other[path] = (was, now)
    return theirs_sent, theirs_other
