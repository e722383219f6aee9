"""Receipts of a verantwoording, judged by their content like the meldingen photos: a photo of
a receipt is cleaned by ``participation.photos`` (no EXIF or GPS kept); a PDF must start as a
PDF and stay under the same size limit. Stored under a random name, never the upload's."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from participation.photos import MAX_BYTES, MAX_MB, _korte_naam, foto_verwerken

MAX_BONNEN = 10
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


def bon_verwerken(upload) -> tuple[ContentFile, str]:
    """``(clean file, content type)`` or a Dutch ``ValidationError``."""
    naam = _korte_naam(upload.name)
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("Het bestand %(naam)s is groter dan %(max_mb)s MB."),
            code="te_groot",
            params={"naam": naam, "max_mb": MAX_MB},
        )
    upload.seek(0)
    begin = upload.read(5)
    upload.seek(0)
    if begin == b"%PDF-":
        data = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationError(
                _("Het bestand %(naam)s is groter dan %(max_mb)s MB."),
                code="te_groot",
                params={"naam": naam, "max_mb": MAX_MB},
            )
        return ContentFile(data, name=f"{secrets.token_urlsafe(16)}.pdf"), "application/pdf"
    try:
        foto = foto_verwerken(upload)
    except ValidationError as exc:
        raise ValidationError(
            _("Het bestand %(naam)s is geen bon als foto (JPEG, PNG, WebP) of als PDF."),
            code="formaat",
            params={"naam": naam},
        ) from exc
    return foto.inhoud, foto.content_type
