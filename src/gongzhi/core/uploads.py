"""Recognising an uploaded image by its content (never by its name), refusing decompression bombs."""

from __future__ import annotations

from PIL import Image, UnidentifiedImageError

Image.MAX_IMAGE_PIXELS = 50_000_000

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def image_type(upload, allowed=tuple(IMAGE_TYPES)) -> str | None:
    """The content type of an image among the ``allowed`` Pillow formats, or None if it is not one."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        kind = None
    finally:
        upload.seek(0)
    return IMAGE_TYPES.get(kind) if kind in allowed else None


def unguessable_path(folder: str, content_type: str) -> str:
    """Where a checked upload is stored: an unguessable name under ``folder``, its suffix from the checked
    content type (the original name is kept in the row, never in the path)."""
    import uuid

    suffix = "pdf" if content_type == "application/pdf" else content_type.rsplit("/", 1)[-1]
    return f"{folder}/{uuid.uuid4().hex}.{suffix}"
