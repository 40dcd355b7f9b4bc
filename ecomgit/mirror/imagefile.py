"""Is this an image the shop can take? Checked on the bytes before anything is written.

An empty file, a text file renamed ``.jpg``, a truncated download or a 300 MB TIFF would make the
shop refuse the upload halfway through a product's image replacement (its old images already gone)
or, worse, accept garbage. So every image of a product is checked before any write: not empty,
not above the size limit, starting with the magic number of the format its extension names, and,
for WebP (the one format whose header states the file's length), not shorter than it says.
"""

from __future__ import annotations

DEFAULT_MAX_MB = 20.0

_MAGIC: dict[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
}
_NAMES = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}


def _is_webp(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _kind(data: bytes) -> str | None:
    """The format ``data`` starts like, or None."""
    if _is_webp(data):
        return "WebP"
    for ext, magics in _MAGIC.items():
        if data.startswith(magics):
            return _NAMES[ext]
    return None


HEAD = 16  # bytes enough to tell the format


def image_problem(name: str, data: bytes, size: int | None = None, max_mb: float = DEFAULT_MAX_MB) -> str | None:
    """What is wrong with image file ``name`` (None: it is fine). ``data``: its bytes, or at least its
    first ``HEAD`` bytes when ``size`` gives the whole file's size (a work-tree check reads no more)."""
    size = len(data) if size is None else size
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if not size:
        return f"image file {name} is empty; put the image's bytes there or remove it from images:"
    if size > max_mb * 1024 * 1024:
        return (
            f"image file {name} is {size / 1024 / 1024:.1f} MB, above the limit of {max_mb:g} MB (images.maxFileMB in "
            ".ecomgit/config.yaml); make it smaller"
        )
    if ext not in _NAMES:  # a name the shop gave (``.bin``): the bytes must still be an image
        if _kind(data) is not None:
            return _cut_short(name, data, size)
        return f"image file {name} does not hold JPEG, PNG, GIF or WebP data; replace it with an image"
    ok = _is_webp(data) if ext == "webp" else data.startswith(_MAGIC[ext])
    if ok:
        return _cut_short(name, data, size)
    kind = _kind(data)
    found = f"holds {kind} data" if kind else "does not hold image data"
    return f"image file {name} {found}, not {_NAMES[ext]} as its extension says; save it in that format or rename it"


def _cut_short(name: str, data: bytes, size: int) -> str | None:
    """A WebP file shorter than its RIFF header says: a download or copy cut off (the header is the
    one format whose first bytes state the whole file's length)."""
    if not _is_webp(data):
        return None
    declared = int.from_bytes(data[4:8], "little") + 8
    if declared <= size:
        return None
    return (
        f"image file {name} is cut short: its WebP header says {declared} bytes, the file has {size}; "
        "save the whole image there again"
    )
