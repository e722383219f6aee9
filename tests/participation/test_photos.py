"""Photos with a melding: only clean JPEG/PNG/WebP copies without metadata get through."""

import dataclasses
import os
import re
import struct
import warnings
import zlib
from io import BytesIO

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import Image, ImageCms, features
from PIL.PngImagePlugin import PngInfo

from participation import photos
from participation.photos import MAX_BYTES, FotosField, VerwerkteFoto, foto_verwerken

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
METADATA_KEYS = ("exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp")


# -- fixtures, built in memory ----------------------------------------------------------------


def image_bytes(fmt="JPEG", size=(40, 30), mode="RGB", noise=False, **save_kwargs):
    if noise:
        image = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))
    else:
        image = Image.new(mode, size, "#3a7" if mode in ("RGB", "RGBA") else 1)
    out = BytesIO()
    image.save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[MAKE] = "Telefoonmerk"
    if orientation:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {
        1: "N",  # GPSLatitudeRef
        2: (51.0, 55.0, 21.6),  # GPSLatitude: Crooswijk
        3: "E",
        4: (4.0, 29.0, 52.8),
    }
    return exif


def png_with_size(width, height):
    """A valid tiny PNG whose header declares width x height: what a decompression bomb is
    before anyone decodes it."""
    data = bytearray(image_bytes("PNG", size=(1, 1), mode="1"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def read_back(foto):
    foto.inhoud.seek(0)
    data = foto.inhoud.read()
    return data, Image.open(BytesIO(data))


def refusal(upload_file):
    with pytest.raises(ValidationError) as caught:
        foto_verwerken(upload_file)
    error = caught.value
    assert len(error.error_list) == 1
    return error.error_list[0].code, error.messages[0]


def assert_no_metadata(data, image):
    assert len(image.getexif()) == 0
    assert GPS_IFD not in image.getexif()
    for key in METADATA_KEYS:
        assert key not in image.info
    assert b"Exif" not in data
    assert b"Telefoonmerk" not in data


# -- metadata is gone -------------------------------------------------------------------------


def test_jpeg_with_gps_exif_comes_out_without_any_metadata():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = image_bytes(
        exif=gps_exif(),
        icc_profile=icc,
        comment=b"gemaakt bij mij thuis",
        xmp=b"<x:xmpmeta>Buurtbewoner</x:xmpmeta>",
    )
    with Image.open(BytesIO(original)) as check:  # the fixture really carries it all
        assert check.getexif().get_ifd(GPS_IFD)[2] == (51.0, 55.0, 21.6)
        assert {"exif", "icc_profile", "comment", "xmp"} <= set(check.info)

    foto = foto_verwerken(upload(original))

    data, image = read_back(foto)
    assert image.format == "JPEG"
    assert (foto.extensie, foto.content_type) == ("jpg", "image/jpeg")
    assert image.size == (40, 30) == (foto.breedte, foto.hoogte)
    assert foto.grootte == len(data)
    assert_no_metadata(data, image)
    assert b"gemaakt bij mij thuis" not in data
    assert b"Buurtbewoner" not in data
    assert data != original


def test_png_text_chunks_and_profile_are_dropped():
    info = PngInfo()
    info.add_text("Author", "Buurtbewoner Crooswijk")
    info.add_itxt("Comment", "Bij mij voor de deur", zip=True)
    original = image_bytes("PNG", mode="RGBA", pnginfo=info, exif=gps_exif())
    with Image.open(BytesIO(original)) as check:
        assert check.text["Author"] == "Buurtbewoner Crooswijk"

    foto = foto_verwerken(upload(original, "scherm.png", "image/png"))

    data, image = read_back(foto)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert (foto.extensie, foto.content_type) == ("png", "image/png")
    assert image.text == {}
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"):
        assert chunk not in data
    assert_no_metadata(data, image)


def test_palette_png_keeps_its_transparency():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    out = BytesIO()
    image.save(out, "PNG", transparency=0)

    foto = foto_verwerken(upload(out.getvalue(), "icoon.png", "image/png"))

    _data, result = read_back(foto)
    assert result.mode == "P"
    assert result.info["transparency"] == 0


def test_webp_is_accepted_and_stripped():
    # The form promises WebP: a Pillow without it must fail here, not skip.
    assert features.check("webp")
    original = image_bytes(
        "WEBP",
        size=(30, 20),
        exif=gps_exif(),
        xmp=b"<x:xmpmeta>Buurtbewoner</x:xmpmeta>",
    )
    with Image.open(BytesIO(original)) as check:
        assert "exif" in check.info

    foto = foto_verwerken(upload(original, "foto.webp", "image/webp"))

    data, image = read_back(foto)
    assert image.format == "WEBP"
    assert (foto.extensie, foto.content_type) == ("webp", "image/webp")
    assert foto.inhoud.name.endswith(".webp")
    assert image.size == (30, 20)
    assert_no_metadata(data, image)
    assert b"Buurtbewoner" not in data


def test_unreadable_icc_profile_does_not_stop_the_photo():
    original = image_bytes(icc_profile=b"dit is geen kleurprofiel" * 10)

    foto = foto_verwerken(upload(original))

    _data, image = read_back(foto)
    assert "icc_profile" not in image.info


def test_cmyk_jpeg_becomes_rgb():
    foto = foto_verwerken(upload(image_bytes(mode="CMYK")))

    _data, image = read_back(foto)
    assert image.mode == "RGB"


def test_jpeg_with_extra_pictures_from_a_phone_is_kept_as_jpeg():
    main, depth_map = Image.new("RGB", (20, 10), "red"), Image.new("RGB", (20, 10), "blue")
    out = BytesIO()
    main.save(out, "MPO", save_all=True, append_images=[depth_map], exif=gps_exif())

    foto = foto_verwerken(upload(out.getvalue()))

    data, image = read_back(foto)
    assert image.format == "JPEG"
    assert getattr(image, "n_frames", 1) == 1
    assert image.getpixel((10, 5))[0] > 200  # the main picture, red
    assert_no_metadata(data, image)


# -- orientation and size ---------------------------------------------------------------------


def test_exif_orientation_is_applied():
    original = image_bytes(size=(20, 10), exif=gps_exif(orientation=6))

    foto = foto_verwerken(upload(original))

    data, image = read_back(foto)
    assert image.size == (10, 20)
    assert (foto.breedte, foto.hoogte) == (10, 20)
    # No orientation tag left behind, so no viewer turns it a second time.
    assert_no_metadata(data, image)


@pytest.mark.parametrize(
    ("fmt", "size", "expected"),
    [
        ("PNG", (3000, 1500), (2560, 1280)),
        ("JPEG", (6000, 4000), (2560, 1707)),  # decoded at reduced scale (draft)
        ("JPEG", (1000, 8000), (320, 2560)),
    ],
)
def test_large_photos_are_scaled_to_2560_on_the_long_side(fmt, size, expected):
    foto = foto_verwerken(upload(image_bytes(fmt, size=size), f"groot.{fmt.lower()}"))

    _data, image = read_back(foto)
    assert image.size == expected == (foto.breedte, foto.hoogte)


# -- names ------------------------------------------------------------------------------------


def test_stored_name_is_random_and_never_the_uploaded_one():
    data = image_bytes()
    first = foto_verwerken(upload(data, "Jansen_Crooswijkseweg_12.jpg"))
    second = foto_verwerken(upload(data, "Jansen_Crooswijkseweg_12.jpg"))

    for foto in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}\.jpg", foto.inhoud.name)
        assert "Jansen" not in foto.inhoud.name
    assert first.inhoud.name != second.inhoud.name


def test_format_is_judged_by_content_not_by_name_or_content_type():
    foto = foto_verwerken(upload(image_bytes("JPEG"), "plaatje.gif", "image/gif"))

    assert (foto.extensie, foto.content_type) == ("jpg", "image/jpeg")
    assert foto.inhoud.name.endswith(".jpg")


def test_result_is_frozen():
    foto = foto_verwerken(upload(image_bytes()))

    assert isinstance(foto, VerwerkteFoto)
    with pytest.raises(dataclasses.FrozenInstanceError):
        foto.extensie = "exe"


# -- refusals ---------------------------------------------------------------------------------


def test_renamed_executable_is_refused_naming_the_file():
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200

    code, message = refusal(upload(executable, "foto.jpg", "image/jpeg"))

    assert code == "formaat"
    assert message == "Het bestand foto.jpg is geen foto in JPEG-, PNG- of WebP-formaat."


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "animatie.gif"), ("BMP", "scan.bmp")])
def test_real_images_in_other_formats_are_refused(fmt, name):
    code, message = refusal(upload(image_bytes(fmt, mode="RGB"), name, "image/jpeg"))

    assert code == "formaat"
    assert name in message


def test_empty_file_is_refused():
    code, message = refusal(upload(b"", "leeg.jpg"))

    assert code == "leeg"
    assert message == "Het bestand leeg.jpg is leeg."


def test_oversized_file_is_refused_without_decoding(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("an oversized file must not reach Pillow")

    monkeypatch.setattr(photos.Image, "open", no_decoding)
    data = image_bytes() + b"\x00" * (MAX_BYTES + 1 - len(image_bytes()))
    assert len(data) == MAX_BYTES + 1

    code, message = refusal(upload(data, "groot.jpg"))

    assert code == "te_groot"
    assert message == "Het bestand groot.jpg is groter dan 10 MB."


def test_file_at_the_limit_is_not_refused_for_its_size():
    data = image_bytes()
    data += b"\x00" * (MAX_BYTES - len(data))  # trailing bytes after the JPEG's end marker

    foto = foto_verwerken(upload(data))

    assert foto.grootte < 10_000


def test_size_is_measured_not_trusted(monkeypatch):
    monkeypatch.setattr(photos.Image, "open", lambda *a, **k: pytest.fail("decoded"))
    oversized = upload(b"\x00" * (MAX_BYTES + 1), "liegt.jpg")
    oversized.size = 1000  # what a lying or buggy upload handler might report

    code, _message = refusal(oversized)

    assert code == "te_groot"


def test_truncated_jpeg_is_refused_as_damaged():
    whole = image_bytes(size=(200, 200), noise=True, quality=95)

    code, message = refusal(upload(whole[: len(whole) // 2], "half.jpg"))

    assert code == "beschadigd"
    assert message == (
        "Het bestand half.jpg is beschadigd of onvolledig en kan niet worden gelezen."
    )


def test_truncated_jpeg_is_refused_even_after_weasyprint_allowed_truncated_images(monkeypatch):
    """WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole process when it
    is imported (the PDF renderer, eager in the demo): the upload check must not follow."""
    import weasyprint  # noqa: F401 - its import is what sets the flag
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = image_bytes(size=(200, 200), noise=True, quality=95)
    code, _ = refusal(upload(whole[: len(whole) // 2], "half.jpg"))
    assert code == "beschadigd"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as the process had it


def test_png_with_a_broken_checksum_is_refused_as_damaged():
    data = bytearray(image_bytes("PNG", size=(50, 50), noise=True))
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF

    code, _message = refusal(upload(bytes(data), "kapot.png", "image/png"))

    assert code == "beschadigd"


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (7_000, 7_000),  # 49 MP: under Pillow's limit, over ours
        (10_000, 10_000),  # 100 MP: Pillow only warns
        (20_000, 20_000),  # 400 MP: Pillow raises
    ],
)
def test_decompression_bombs_are_refused(width, height):
    bomb = png_with_size(width, height)
    assert len(bomb) < 100

    code, message = refusal(upload(bomb, "bom.png", "image/png"))

    assert code == "te_veel_pixels"
    assert "bom.png" in message


def test_own_pixel_limit_holds_when_pillows_is_switched_off(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    code, _message = refusal(upload(png_with_size(20_000, 20_000), "bom.png"))

    assert code == "te_veel_pixels"


def test_bomb_warning_is_an_error_inside_the_function_only():
    with warnings.catch_warnings():
        # Even where the process ignores warnings, a bomb is still refused...
        warnings.simplefilter("ignore")
        before = list(warnings.filters)

        code, _message = refusal(upload(png_with_size(10_000, 10_000), "bom.png"))

        assert code == "te_veel_pixels"
        # ... and the process's filters are left as they were.
        assert warnings.filters == before


def test_pillows_bomb_warning_refuses_even_above_our_own_limit(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 10**12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")

        code, _message = refusal(upload(png_with_size(10_000, 10_000), "bom.png"))

    assert code == "te_veel_pixels"


def test_long_file_names_are_shortened_in_messages():
    name = "a" * 200 + ".exe"

    _code, message = refusal(upload(b"MZ" + b"\x00" * 50, name))

    shown = re.search(r"Het bestand (.*) is geen foto", message).group(1)
    assert len(shown) <= 80
    assert shown.endswith(".exe")


# -- the form field ---------------------------------------------------------------------------


class MeldingFotosForm(forms.Form):
    fotos = FotosField(required=False)


class VerplichtFotosForm(forms.Form):
    fotos = FotosField()


def bound(files, form_class=MeldingFotosForm):
    return form_class(data={}, files=MultiValueDict({"fotos": files}))


def good(name):
    return upload(image_bytes(exif=gps_exif()), name)


def test_field_returns_clean_photos():
    form = bound([good("een.jpg"), good("twee.jpg")])

    assert form.is_valid(), form.errors
    fotos = form.cleaned_data["fotos"]
    assert len(fotos) == 2
    assert all(isinstance(foto, VerwerkteFoto) for foto in fotos)
    for foto in fotos:
        data, image = read_back(foto)
        assert_no_metadata(data, image)


def test_field_refuses_more_than_three_files():
    form = bound([good(f"{nummer}.jpg") for nummer in range(4)])

    assert not form.is_valid()
    assert form.errors["fotos"] == ["U kunt hoogstens 3 foto's meesturen."]
    assert form.errors.as_data()["fotos"][0].code == "te_veel_fotos"


def test_field_names_the_one_bad_file():
    bad = upload(b"MZ" + b"\x00" * 50, "virus.jpg")
    form = bound([good("een.jpg"), bad, good("twee.jpg")])

    assert not form.is_valid()
    assert form.errors["fotos"] == [
        "Het bestand virus.jpg is geen foto in JPEG-, PNG- of WebP-formaat."
    ]


def test_field_reports_every_bad_file():
    half = image_bytes(size=(200, 200), noise=True)
    form = bound(
        [
            upload(half[: len(half) // 2], "half.jpg"),
            good("goed.jpg"),
            upload(image_bytes("GIF"), "plaatje.gif", "image/gif"),
        ]
    )

    assert not form.is_valid()
    errors = form.errors.as_data()["fotos"]
    assert [error.code for error in errors] == ["beschadigd", "formaat"]
    assert "half.jpg" in form.errors["fotos"][0]
    assert "plaatje.gif" in form.errors["fotos"][1]


def test_field_without_files_gives_an_empty_list():
    form = MeldingFotosForm(data={}, files=MultiValueDict())

    assert form.is_valid(), form.errors
    assert form.cleaned_data["fotos"] == []


def test_required_field_without_files_is_refused():
    form = VerplichtFotosForm(data={}, files=MultiValueDict())

    assert not form.is_valid()
    assert form.errors.as_data()["fotos"][0].code == "required"


def test_widget_allows_several_photo_files():
    html = str(MeldingFotosForm()["fotos"])

    assert 'type="file"' in html
    assert "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
