"""The publications of the generated city (a step of ``manage.py load_scale``): version 1 of
every published product, with its real frozen HTML (rendered as publishing renders it).

A PDF is not rendered per version: the city has about a thousand, and rendering takes most of a
second each. One PDF is rendered, from the first snapshot, and stored once; every generated
version refers to that file (with its checksum and size), so the pages that list versions and
link their PDFs show what they will show in production. Generated data only: the portal itself
renders each version's own PDF."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from cycle.models import PRODUCT_MODELLEN, Productstatus
from cycle.scale import ScaleContext, register

from .models import Pdfstatus, Publicatie
from .pdf import pdf_sha256, render_pdf
from .snapshot import render_snapshot

VOORBEELD_PDF = "publicaties/load-scale/voorbeeld.pdf"
FIELDS = [
    "product_type",
    "product_id",
    "soort",
    "werkgebied",
    "jaar",
    "versie",
    "titel",
    "gepubliceerd_op",
    "gepubliceerd_door_naam",
    "html",
    "pdf",
    "pdf_sha256",
    "pdf_grootte",
    "pdf_status",
    "pdf_fout",
    "pdf_pogingen",
    "pdf_gemaakt_op",
]


def publicaties_clear(ctx: ScaleContext) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Publicatie._meta.db_table)}")  # noqa: S608


@register("publication.publicaties", after=("cycle",), clear=publicaties_clear)
def publicaties(ctx: ScaleContext) -> None:
    rows = []
    pdf = None
    for model in PRODUCT_MODELLEN:
        product_type = ContentType.objects.get_for_model(model)
        products = (
            model.objects.filter(
                status=Productstatus.GEPUBLICEERD, cyclus__werkgebied__in=ctx.werkgebieden
            )
            .select_related("cyclus__werkgebied")
            .order_by("pk")
        )
        for product in products:
            html = render_snapshot(
                product,
                versie=1,
                gepubliceerd_op=product.gepubliceerd_op,
                gepubliceerd_door="wijkmanager",
            )
            if pdf is None:
                data = render_pdf(html)
                if default_storage.exists(VOORBEELD_PDF):
                    default_storage.delete(VOORBEELD_PDF)
                naam = default_storage.save(VOORBEELD_PDF, ContentFile(data))
                pdf = (naam, pdf_sha256(data), len(data))
            rows.append(
                (
                    product_type.pk,
                    product.pk,
                    model.SOORT,
                    product.cyclus.werkgebied_id,
                    product.cyclus.jaar,
                    1,
                    product.titel,
                    product.gepubliceerd_op,
                    "wijkmanager",
                    html,
                    *pdf,
                    Pdfstatus.KLAAR.value,
                    "",
                    1,
                    product.gepubliceerd_op,
                )
            )
    ctx.copy(Publicatie, FIELDS, rows)
