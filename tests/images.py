"""Image bytes for tests: real images the shop has never seen (push decodes every image it sends)."""

from __future__ import annotations


def renamed_jpeg(data: bytes, note: bytes) -> bytes:
    """The JPEG ``data`` with a comment segment saying ``note`` right after its start marker: the
    same picture, whole and valid, as bytes no shop has seen."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    return data[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + data[2:]
