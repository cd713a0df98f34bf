"""Checking a file attached to a board item by its content: it must be what its name says it is."""

from __future__ import annotations

import hashlib
import os
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongzhi.core.uploads import image_type

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # an Excel or Word file is a zip archive: refuse zip bombs
PDF, JPEG, PNG, GIF, WEBP = "application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BY_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".gif": GIF, ".webp": WEBP,
                ".xlsx": XLSX, ".docx": DOCX}
KIND_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WebP", XLSX: "Excel (.xlsx)",
              DOCX: "Word (.docx)"}
IMAGE_TYPES = {JPEG, PNG, GIF, WEBP}


def clean_name(name: str) -> str:
    """The file's own name without folders or control characters, at most 120 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip() or "file"
    stem, ext = os.path.splitext(name)
    return stem[: 120 - len(ext)] + ext.lower()


def _office_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                raise ValidationError(_("The archive inside the file unpacks to more than %(mb)s MB; it is refused.")
                                      % {"mb": max(MAX_UNZIPPED_BYTES // 1048576, 1)}, code="unpacked_size")
            names = {e.filename for e in entries}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def content_type_of(upload) -> str | None:
    """What the file is by its content (not its name), among the accepted kinds, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return image_type(upload)


def check_attachment(upload) -> tuple[str, str, str]:
    """(clean name, content type, sha256) of an acceptable attachment, else ValidationError with the reason."""
    name = clean_name(getattr(upload, "name", ""))
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                              % {"size": round(upload.size / 1048576, 1), "limit": MAX_BYTES // 1048576})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    claimed = BY_EXTENSION.get(os.path.splitext(name)[1])
    if claimed is None:
        raise ValidationError(_("Only PDF documents, photos (JPEG, PNG, GIF, WebP), Excel (.xlsx) and Word (.docx) "
                                "files can be attached."))
    actual = content_type_of(upload)
    if actual != claimed:
        raise ValidationError(
            _("“%(name)s” is not what its name says: the name says %(claimed)s but the content is %(actual)s.")
            % {"name": name, "claimed": KIND_NAMES[claimed],
               "actual": KIND_NAMES.get(actual, _("of another kind"))})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, actual, digest.hexdigest()


def check_photo(upload, max_bytes: int = 5 * 1024 * 1024) -> str:
    """The content type of a photo (JPEG, PNG, GIF, WebP) within ``max_bytes``, else ValidationError."""
    if upload.size > max_bytes:
        raise ValidationError(_("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
                              % {"size": round(upload.size / 1048576, 1), "limit": max_bytes // 1048576})
    kind = image_type(upload)
    if kind is None:
        raise ValidationError(_("This file is not a photo (JPEG, PNG, GIF or WebP)."))
    return kind
