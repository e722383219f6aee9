"""Photos that residents send with a melding: checking, cleaning and the form field for them.

A melding is anonymous, but a phone photo is not: its EXIF carries the GPS position of the
resident's front door, the phone's serial number and the time taken; XMP and ICC blocks and
comments can carry more. And an upload is untrusted bytes: a renamed executable, a
decompression bomb, a truncated file. So every photo is judged by its content (the format Pillow
detects, never the file name or the browser's content type), decoded once within firm limits,
turned upright (EXIF orientation), brought to sRGB, downscaled to at most `MAX_ZIJDE` pixels on
the long side, and encoded afresh without any metadata under a random name. Only that clean
copy is ever stored or shown; the upload itself is dropped.

Refusals are `ValidationError`s in Dutch that name the file, so a resident who sent three
photos knows which one to replace.
"""

import contextlib
import secrets
import struct
import warnings
from dataclasses import dataclass
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

MAX_FOTOS = 3
MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
# Well above any phone camera (a 200 MP sensor saves 12.5 MP by default) and far below what
# Pillow itself allows (89 MP), which a setting elsewhere in the process could even switch off.
MAX_PIXELS = 40_000_000
# Sharp on any screen; a larger original only costs storage and page weight.
MAX_ZIJDE = 2560
JPEG_KWALITEIT = 85
WEBP_KWALITEIT = 85
NAAM_LENGTE = 80

# Pillow format name -> (extension, content type). Only these decoders are ever run on an upload.
FORMATEN = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# Modes each format is written in; anything else (CMYK, 16-bit, ...) is converted first.
_MODI = {
    "JPEG": ("RGB", "L"),
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA"),
    "WEBP": ("RGB", "RGBA"),
}
ACCEPT = ",".join(content_type for _ext, content_type in FORMATEN.values())

# What Pillow raises on broken input: truncated data and bad CRCs (OSError), broken headers
# (SyntaxError, struct.error, IndexError), impossible values (ValueError), a short read (EOFError).
_LEESFOUTEN = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)

_MELDINGEN = {
    "leeg": _("Het bestand %(naam)s is leeg."),
    "te_groot": _("Het bestand %(naam)s is groter dan %(max_mb)s MB."),
    "formaat": _("Het bestand %(naam)s is geen foto in JPEG-, PNG- of WebP-formaat."),
    "te_veel_pixels": _(
        "De foto %(naam)s heeft te veel beeldpunten (hoogstens %(max_mp)s megapixel)."
    ),
    "beschadigd": _("Het bestand %(naam)s is beschadigd of onvolledig en kan niet worden gelezen."),
}


@dataclass(frozen=True)
class VerwerkteFoto:
    """A cleaned photo, ready to store: `inhoud` carries a random name, never the upload's."""

    inhoud: ContentFile
    extensie: str
    content_type: str
    breedte: int
    hoogte: int
    grootte: int


@contextlib.contextmanager
def _onvolledig_is_fout():
    """A truncated file is an error for this call, whatever a library set for the process:
    WeasyPrint, on import, lets Pillow read truncated images (``LOAD_TRUNCATED_IMAGES``), and
    an upload must never be accepted half-read. Restored afterwards (one request per process,
    as above)."""
    vorige = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = vorige


def foto_verwerken(upload: UploadedFile) -> VerwerkteFoto:
    """Check one uploaded photo and return a clean, metadata-free copy, or raise ValidationError.

    The size is checked before anything is decoded; the format from the content; the pixel count
    from the header, before the pixels are decoded. The copy keeps the format (JPEG stays JPEG,
    PNG stays PNG, WebP stays WebP), is upright, in sRGB, at most `MAX_ZIJDE` pixels on the long
    side, and carries no EXIF, GPS, XMP, ICC profile, text chunk or comment. Of an animated PNG
    or WebP, or a JPEG with extra pictures (MPO), only the first picture is kept.
    """
    naam = _korte_naam(upload.name)
    if upload.size is not None and upload.size > MAX_BYTES:
        raise _fout("te_groot", naam)
    upload.seek(0)
    # Read one byte past the limit: enough to catch a size that was reported wrongly.
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _fout("te_groot", naam)
    if not data:
        raise _fout("leeg", naam)

    formats = tuple(FORMATEN)
    # Pillow only warns between 89 and 179 MP. Make that warning an error for this call only;
    # catch_warnings restores the filters afterwards (gunicorn runs sync workers, one request per
    # process, so no other thread shares them meanwhile). Our own MAX_PIXELS check below is the
    # real limit; this covers the moment Pillow checks, inside Image.open, before we can.
    with warnings.catch_warnings(), _onvolledig_is_fout():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=formats) as beeld:
                _pixels_controleren(beeld, naam)
                beeld.verify()
            # verify() leaves the image unusable: open it again to decode.
            with Image.open(BytesIO(data), formats=formats) as beeld:
                # A JPEG with extra pictures appended (MPO: gain maps, depth maps, as many
                # phones write) is still a JPEG; only its first, main picture is kept.
                formaat = "JPEG" if beeld.format == "MPO" else beeld.format
                if formaat not in FORMATEN:  # defence in depth: `formats` already limits this
                    raise _fout("formaat", naam)
                _pixels_controleren(beeld, naam)
                if formaat == "JPEG" and beeld.mode in ("RGB", "L"):
                    # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding: a
                    # fraction of the memory for large photos, and still >= MAX_ZIJDE.
                    beeld.draft(beeld.mode, (MAX_ZIJDE, MAX_ZIJDE))
                beeld.load()
                schoon = _opschonen(beeld, formaat)
        except UnidentifiedImageError as exc:
            raise _fout("formaat", naam) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _fout("te_veel_pixels", naam) from exc
        except _LEESFOUTEN as exc:
            raise _fout("beschadigd", naam) from exc

    extensie, content_type = FORMATEN[formaat]
    uit = BytesIO()
    if formaat == "JPEG":
        schoon.save(uit, "JPEG", quality=JPEG_KWALITEIT, optimize=True)
    elif formaat == "PNG":
        schoon.save(uit, "PNG", optimize=False)
    else:
        schoon.save(uit, "WEBP", quality=WEBP_KWALITEIT)
    inhoud = uit.getvalue()
    return VerwerkteFoto(
        inhoud=ContentFile(inhoud, name=f"{secrets.token_urlsafe(16)}.{extensie}"),
        extensie=extensie,
        content_type=content_type,
        breedte=schoon.width,
        hoogte=schoon.height,
        grootte=len(inhoud),
    )


def _opschonen(beeld: Image.Image, formaat: str) -> Image.Image:
    """Upright, sRGB, within MAX_ZIJDE, in a mode the format can write, and with no metadata."""
    icc = beeld.info.get("icc_profile")
    beeld = ImageOps.exif_transpose(beeld)
    if icc:
        beeld = _naar_srgb(beeld, icc)

    if beeld.mode not in _MODI[formaat]:
        # JPEG has no alpha channel: a CMYK or other JPEG becomes plain RGB.
        alfa = formaat != "JPEG" and _heeft_alfa(beeld)
        beeld = beeld.convert("RGBA" if alfa else "RGB")

    beeld.thumbnail((MAX_ZIJDE, MAX_ZIJDE), Image.Resampling.LANCZOS)
    schoon = beeld.copy()
    # The savers read some metadata from `info` (PNG: ICC profile; JPEG: comment): start empty
    # and keep only the palette transparency, which is part of the picture itself.
    schoon.info = {}
    if "transparency" in beeld.info:
        schoon.info["transparency"] = beeld.info["transparency"]
    return schoon


def _naar_srgb(beeld: Image.Image, icc: bytes) -> Image.Image:
    """Convert to sRGB, so that dropping the profile (e.g. an iPhone's Display P3) keeps colours.

    A profile that cannot be read or applied is simply dropped: the colours shift a little, the
    photo still arrives.
    """
    if beeld.mode not in ("RGB", "RGBA", "CMYK"):
        return beeld
    try:
        bron = ImageCms.ImageCmsProfile(BytesIO(icc))
        doel = ImageCms.createProfile("sRGB")
        uitvoer = "RGBA" if beeld.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(beeld, bron, doel, outputMode=uitvoer) or beeld
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return beeld


def _heeft_alfa(beeld: Image.Image) -> bool:
    return beeld.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in beeld.info


def _pixels_controleren(beeld: Image.Image, naam: str) -> None:
    breedte, hoogte = beeld.size
    if breedte * hoogte > MAX_PIXELS:
        raise _fout("te_veel_pixels", naam)


def _korte_naam(naam: str | None) -> str:
    """The uploaded name for messages: printable characters only, at most NAAM_LENGTE long,
    keeping the end, where the extension is."""
    naam = "".join(teken for teken in (naam or "") if teken.isprintable()).strip()
    if len(naam) > NAAM_LENGTE:
        helft = (NAAM_LENGTE - 1) // 2
        naam = f"{naam[:helft]}…{naam[-helft:]}"
    return naam or gettext("zonder naam")


def _fout(code: str, naam: str) -> ValidationError:
    return ValidationError(
        _MELDINGEN[code],
        code=code,
        params={
            "naam": naam,
            "max_mb": MAX_MB,
            "max_mp": MAX_PIXELS // 1_000_000,
        },
    )


class FotosInput(forms.ClearableFileInput):
    """A file input that lets the resident pick several photos at once."""

    allow_multiple_selected = True


class FotosField(forms.FileField):
    """Up to MAX_FOTOS photos; `cleaned_data` gets a list of `VerwerkteFoto` (empty if none).

    Follows Django's documented pattern for uploading multiple files. Each file is checked on
    its own and every bad one gets its own message, so one form round trip names them all.
    """

    widget = FotosInput
    default_error_messages = {
        "te_veel_fotos": _("U kunt hoogstens %(max)s foto's meesturen."),
    }

    def __init__(self, **kwargs):
        # foto_verwerken refuses an empty file with a message naming it; Django's own check
        # would not say which of the files was empty.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            bestanden = [bestand for bestand in data if bestand]
        else:
            # None (nothing sent) or False (the clear checkbox, which nothing here renders).
            bestanden = [data] if data else []
        if not bestanden:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(bestanden) > MAX_FOTOS:
            raise ValidationError(
                self.error_messages["te_veel_fotos"],
                code="te_veel_fotos",
                params={"max": MAX_FOTOS},
            )

        fotos, fouten = [], []
        for bestand in bestanden:
            try:
                # FileField's own checks (a real upload with a name, max_length, validators).
                bestand = super().clean(bestand, initial)
                fotos.append(foto_verwerken(bestand))
            except ValidationError as fout:
                fouten.extend(fout.error_list)
        if fouten:
            raise ValidationError(fouten)
        return fotos
