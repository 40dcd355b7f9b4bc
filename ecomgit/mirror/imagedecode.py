"""Is this image whole? Decoded in full (Pillow) before its bytes are sent to the shop.

The header check (:mod:`ecomgit.mirror.imagefile`) catches a text file renamed ``.jpg``; it cannot
see a JPEG cut off half-way, or ``FF D8 FF E0`` followed by an HTML error page, which would replace
a good shop image with a broken one. Before an upload every image a person changed is opened,
verified (a PNG's chunks to ``IEND``, with their checksums) and decoded to its last pixel; a file
that ends before its data does is refused (WebP states its length, checked by the header check).
Bytes after a format's end are allowed: some cameras append their own data there. Images the shop
itself already holds are not judged again (see ``ecomgit.committed``).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image


def decode_problem(name: str, data: bytes, *, full: bool = True) -> str | None:
    """What is wrong with the image bytes of file ``name`` (None: they decode whole). ``full=False``:
    only whether they are an image at all (identified and verified, no pixels decoded): what a sync
    asks of every download, cheaply."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            if full:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return f"image file {name} has more pixels than a shop image needs; save it smaller"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return (
            f"image file {name} cannot be decoded ({why}): it is cut short or not an image; "
            "save the whole image there again"
        )
    return None
