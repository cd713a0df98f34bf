"""Checking an uploaded attachment by its content: a PDF or a photo, within the size limit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core.uploads import image_type

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


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
    content_type = image_type(upload)
    if content_type is None:
        raise ValidationError(_("Only photos (JPEG, PNG, GIF, WebP) and PDF documents can be attached."))
    return content_type
