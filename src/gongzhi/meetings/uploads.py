"""Checking an uploaded attachment by its content: a PDF or a photo, within the size limit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
Image.MAX_IMAGE_PIXELS = 50_000_000  # refuse decompression bombs


def check_upload(upload) -> str:
    """The content type of an acceptable upload, or ValidationError with the reason."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                              % {"size": round(upload.size / 1048576, 1), "limit": MAX_ATTACHMENT_BYTES // 1048576})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        kind = None
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise ValidationError(_("Only photos (JPEG, PNG, GIF, WebP) and PDF documents can be attached."))
    return IMAGE_TYPES[kind]
