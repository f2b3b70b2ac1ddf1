"""Checks on uploaded files: what they are (by their first bytes, not their name) and size.

Minutes are PDF only; evidence and attachments may also be Word, Excel, CSV or an image.
A file that is not what it says, is empty or too large is refused with a Spanish message
and nothing is kept.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Bytes a minutes file or an attachment may weigh.
MAX_BYTES = 10 * 1024 * 1024
#: Files one form may attach at once.
MAX_FILES = 5

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
PNG = "image/png"
JPEG = "image/jpeg"


@dataclass(frozen=True)
class Checked:
    name: str
    media_type: str
    content: bytes


def _kind(name: str, head: bytes, content: bytes) -> str | None:
    lower = name.lower()
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and lower.endswith((".docx", ".xlsx")):
        try:
            names = zipfile.ZipFile(BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if lower.endswith(".docx") and "word/document.xml" in names:
            return DOCX
        if lower.endswith(".xlsx") and "xl/workbook.xml" in names:
            return XLSX
        return None
    if lower.endswith((".csv", ".txt")):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return CSV
    return None


def _clean_name(name: str) -> str:
    base = (name or "archivo").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return cleaned.strip()[:200] or "archivo"


def check(upload, *, pdf_only: bool = False, max_bytes: int | None = None) -> Checked:
    """Read *upload* (a Django ``UploadedFile``) and check it; raise ``ValidationError``."""
    max_bytes = max_bytes or MAX_BYTES
    name = _clean_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("«%(name)s» pesa más de %(mb)s MB.") % {"name": name, "mb": max_bytes // 2**20}
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(
            _("«%(name)s» pesa más de %(mb)s MB.") % {"name": name, "mb": max_bytes // 2**20}
        )
    if not content:
        raise ValidationError(_("«%(name)s» está vacío.") % {"name": name})
    media_type = _kind(name, content[:8], content)
    if pdf_only and media_type != PDF:
        raise ValidationError(
            _("«%(name)s» no es un PDF: el acta se sube en PDF.") % {"name": name}
        )
    if media_type is None:
        raise ValidationError(
            _("«%(name)s» no es un PDF, Word, Excel, CSV, PNG ni JPEG.") % {"name": name}
        )
    return Checked(name, media_type, content)


def check_many(uploads, **options) -> list[Checked]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("Adjunte a lo sumo %(n)s archivos.") % {"n": MAX_FILES})
    return [check(upload, **options) for upload in uploads]
