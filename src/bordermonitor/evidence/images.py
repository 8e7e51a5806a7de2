"""Opening untrusted images with Pillow under a deliberate pixel cap.

A small file can declare a gigantic canvas (a "pixel flood" or decompression bomb) and exhaust memory when
decoded, so the declared size is checked against :data:`MAX_PIXELS` from the header before any pixel is
decoded, and Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) is set to the same cap for every other path.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from PIL import Image, ImageFile, UnidentifiedImageError

__all__ = ["MAX_PIXELS", "ImageProblem", "open_image"]

MAX_PIXELS = 100_000_000  # 100 megapixels: every phone camera's full resolution, ~300 MB once decoded (RGB)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # deliberately: Pillow refuses anything twice as large on any path


def _(text: str) -> str:
    return text


class ImageProblem(ValueError):
    """The image cannot be opened safely; ``template % params`` says why, in plain English."""

    def __init__(self, template: str, **params: str | int) -> None:
        self.template, self.params = template, params
        super().__init__(template % params)


@contextmanager
def open_image(path: Path | IO[bytes]) -> Iterator[Image.Image]:
    """The decoded image at ``path`` (or in a seekable stream, read from its start); :class:`ImageProblem`
    for a pixel flood, a truncated or damaged file."""
    if not isinstance(path, Path):
        path.seek(0)
    # WeasyPrint (the reports) sets Pillow's process-wide switch that decodes truncated files without a word;
    # evidence must never be accepted half-read, so the switch is put back before every decoding.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ImageProblem(
                _("this image is damaged and cannot be opened: upload the file again")
            ) from None
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many()
            try:
                image.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many() from None
            except (OSError, SyntaxError, ValueError, EOFError):
                raise ImageProblem(
                    _(
                        "this image is incomplete or damaged (the file ends before the picture does): "
                        "the copy was probably interrupted. Upload the file again from the device"
                    )
                ) from None
            yield image


def _too_many() -> ImageProblem:
    return ImageProblem(
        _(
            "this image has more than %(limit)d megapixels, too many to open safely: reduce its size and "
            "upload it again"
        ),
        limit=MAX_PIXELS // 1_000_000,
    )
