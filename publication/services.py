"""Every write to the publications. A version is made inside the transaction that publishes
its product (so it exists exactly when the publication does); its PDF is rendered after the
commit by a Celery worker, never in the web request."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notices.services import queue_now
from pagecache.services import bump
from people.models import Rol
from people.roles import acting_role

from .models import Pdfstatus, Publicatie, _pdf_pad

logger = logging.getLogger(__name__)

# After this many claims without a PDF (workers killed mid-render, every time) the version is
# marked failed instead of being handed out again.
MAX_POGINGEN = 5
# A version nobody claimed this long after it was made (the broker was down at the commit)
# is handed to a worker by the sweep.
ONGECLAIMD = timedelta(minutes=1)


class PublicatieError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def publicatie_maken(*, product, user) -> Publicatie:
    """Freeze ``product`` as its next version. Call inside the transaction that publishes it,
    with its row locked (so two publications cannot take the same number)."""
    from .snapshot import render_snapshot

    product_type = ContentType.objects.get_for_model(product)
    vorige = Publicatie.objects.filter(product_type=product_type, product_id=product.pk)
    versie = (vorige.aggregate(hoogste=Max("versie"))["hoogste"] or 0) + 1
    naam = _publieke_naam(user, product)
    gepubliceerd_op = product.gepubliceerd_op or timezone.now()
    # Every version after the first is a correction, with the reason given when the product
    # was reopened.
    correctie_reden = product.correctie_reden if versie > 1 else ""
    publicatie = Publicatie.objects.create(
        product_type=product_type,
        product_id=product.pk,
        soort=product.SOORT,
        werkgebied=product.cyclus.werkgebied,
        jaar=product.cyclus.jaar,
        versie=versie,
        titel=product.titel,
        gepubliceerd_op=gepubliceerd_op,
        gepubliceerd_door=user if user is not None and user.is_authenticated else None,
        gepubliceerd_door_naam=naam,
        correctie_reden=correctie_reden,
        html=render_snapshot(
            product,
            versie=versie,
            gepubliceerd_op=gepubliceerd_op,
            gepubliceerd_door=naam,
            correctie_reden=correctie_reden,
        ),
    )
    transaction.on_commit(lambda: _kick(publicatie.pk))
    return publicatie


def _publieke_naam(user, product) -> str:
    """A name the public may read: the person's name, else the role they acted in."""
    if user is None or not user.is_authenticated:
        return str(_("het portaal"))
    naam = user.get_full_name()
    if naam:
        return naam
    rol = acting_role(user, product)
    return str(Rol(rol).label) if rol else str(_("de gemeente"))


def _kick(publicatie_id: int) -> None:
    """After the commit: ask a worker to render now. Never raises, since the publication has
    already committed; a version nobody claims is handed out by the sweep."""
    from .tasks import pdf_maken

    try:
        queue_now(pdf_maken, {"publicatie_id": publicatie_id})
    except Exception as exc:
        logger.warning(
            "PDF of publication %s not queued now; the sweep will queue it (%s: %s).",
            publicatie_id,
            type(exc).__name__,
            exc,
        )


def _claim_duur() -> timedelta:
    """How long a worker's claim on a version lasts: longer than the task's hard time limit
    (settings.PUBLICATIE_CLAIM_SECONDS), so a live worker never loses the version mid-render."""
    return timedelta(seconds=settings.PUBLICATIE_CLAIM_SECONDS)


def _claim(publicatie_id: int) -> bool:
    """Take the version for rendering, unless it is done, failed, or claimed by a worker that
    is still within its time. One claimant at a time, whatever the number of workers."""
    now = timezone.now()
    return bool(
        Publicatie.objects.filter(pk=publicatie_id, pdf_status=Pdfstatus.WACHTEND)
        .filter(Q(pdf_bezig_tot__isnull=True) | Q(pdf_bezig_tot__lt=now))
        .update(pdf_bezig_tot=now + _claim_duur(), pdf_pogingen=F("pdf_pogingen") + 1)
    )


def pdf_maken(*, publicatie_id: int) -> bool:
    """Render and store the PDF of one version; True when this call stored it. Idempotent:
    a duplicated or retried task finds the version done (or claimed) and does nothing."""
    if not _claim(publicatie_id):
        return False
    try:
        return _maken(publicatie_id)
    except (OperationalError, InterfaceError):
        # The task retries on these; its own claim would turn the retry away until it ran out.
        _vrijgeven(publicatie_id)
        raise


def _vrijgeven(publicatie_id: int) -> None:
    """Give a claim back after a database error. When the database is still away, the claim
    runs out by itself and the sweep hands the version out again."""
    try:
        Publicatie.objects.filter(pk=publicatie_id, pdf_status=Pdfstatus.WACHTEND).update(
            pdf_bezig_tot=None
        )
    except (OperationalError, InterfaceError) as exc:
        logger.warning("Claim on publication %s not given back (%s).", publicatie_id, exc)


def _maken(publicatie_id: int) -> bool:
    from .pdf import render_pdf

    publicatie = Publicatie.objects.only("pk", "html", "pdf_pogingen").get(pk=publicatie_id)
    if publicatie.pdf_pogingen > MAX_POGINGEN:
        _mislukt(
            publicatie_id, _("Het maken van de PDF is %(n)s keer afgebroken.") % {"n": MAX_POGINGEN}
        )
        return False
    try:
        data = render_pdf(publicatie.html)
    except Exception as exc:  # any failure of the renderer is recorded, shown and retryable
        logger.exception("Rendering the PDF of publication %s failed.", publicatie_id)
        _mislukt(publicatie_id, f"{type(exc).__name__}: {exc}"[:2000])
        return False
    return _opslaan(publicatie_id, data)


def _opslaan(publicatie_id: int, data: bytes) -> bool:
    from .pdf import pdf_sha256

    naam = None
    try:
        with transaction.atomic():
            locked = (
                Publicatie.objects.select_for_update(of=("self",))
                .select_related("werkgebied")
                .get(pk=publicatie_id)
            )
            if locked.pdf_status != Pdfstatus.WACHTEND:
                return False
            naam = locked.pdf.storage.save(_pdf_pad(locked, ""), ContentFile(data))
            locked.pdf.name = naam
            locked.pdf_sha256 = pdf_sha256(data)
            locked.pdf_grootte = len(data)
            locked.pdf_status = Pdfstatus.KLAAR
            locked.pdf_fout = ""
            locked.pdf_bezig_tot = None
            locked.pdf_gemaakt_op = timezone.now()
            locked.save(
                update_fields=[
                    "pdf",
                    "pdf_sha256",
                    "pdf_grootte",
                    "pdf_status",
                    "pdf_fout",
                    "pdf_bezig_tot",
                    "pdf_gemaakt_op",
                ]
            )
            # The product page and the archive link the PDF from now on.
            bump()
    except BaseException:
        # The file is written before the transaction ends; when it rolls back, no file may
        # stay behind without its row.
        if naam:
            Publicatie.pdf.field.storage.delete(naam)
        raise
    return True


def _mislukt(publicatie_id: int, reden: str) -> None:
    with transaction.atomic():
        Publicatie.objects.filter(pk=publicatie_id, pdf_status=Pdfstatus.WACHTEND).update(
            pdf_status=Pdfstatus.MISLUKT, pdf_fout=reden, pdf_bezig_tot=None
        )
        bump()


def pdf_opnieuw(*, publicatie: Publicatie, user) -> Publicatie:
    """Try a failed PDF again (the wijkmanagers of the werkgebied and beheerders)."""
    with transaction.atomic():
        locked = (
            Publicatie.objects.select_for_update(of=("self",))
            .select_related("werkgebied")
            .get(pk=publicatie.pk)
        )
        if not user.has_perm("publication.retry_pdf", locked):
            raise PermissionDenied
        if locked.pdf_status != Pdfstatus.MISLUKT:
            raise PublicatieError(
                _("Deze PDF is klaar of wordt al gemaakt; er is niets opnieuw gestart.")
            )
        fout = locked.pdf_fout
        locked.pdf_status = Pdfstatus.WACHTEND
        locked.pdf_fout = ""
        locked.pdf_bezig_tot = None
        locked.pdf_pogingen = 0
        locked.save(update_fields=["pdf_status", "pdf_fout", "pdf_bezig_tot", "pdf_pogingen"])
        audit_log(
            action="publication.pdf_opnieuw",
            actor=user,
            actor_rol=acting_role(user, locked),
            target=locked,
            data={"versie": locked.versie, "soort": locked.soort, "fout": fout[:200]},
        )
        transaction.on_commit(lambda: _kick(locked.pk))
    return locked


def pdf_sweep(*, limit: int = 50) -> int:
    """Hand out the versions that wait without a live claim: the broker was down when they
    were published, or their worker died mid-render. Returns how many were queued."""
    now = timezone.now()
    ids = list(
        Publicatie.objects.filter(pdf_status=Pdfstatus.WACHTEND)
        .filter(
            Q(pdf_bezig_tot__lt=now)
            | Q(pdf_bezig_tot__isnull=True, gepubliceerd_op__lt=now - ONGECLAIMD)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for publicatie_id in ids:
        _kick(publicatie_id)
    return len(ids)


def publicaties_aanvullen() -> int:
    """Give version 1 to every published product that has no version (published before the
    portal kept them); return how many were made. Idempotent: run it after a deployment."""
    from audit.models import AuditEntry
    from cycle.models import PRODUCT_MODELLEN, Productstatus

    gemaakt = 0
    for model in PRODUCT_MODELLEN:
        product_type = ContentType.objects.get_for_model(model)
        heeft_versie = Publicatie.objects.filter(product_type=product_type).values("product_id")
        ids = model.objects.filter(status=Productstatus.GEPUBLICEERD).exclude(pk__in=heeft_versie)
        for product_id in ids.values_list("pk", flat=True):
            with transaction.atomic():
                product = (
                    model.objects.select_for_update(of=("self",))
                    .select_related("cyclus__werkgebied")
                    .get(pk=product_id)
                )
                if Publicatie.objects.filter(
                    product_type=product_type, product_id=product.pk
                ).exists():
                    continue
                publicatie_door = (
                    AuditEntry.objects.for_objects(product)
                    .filter(action="cycle.product_transition", data__naar="gepubliceerd")
                    .select_related("actor")
                    .order_by("-timestamp", "-pk")
                    .first()
                )
                publicatie_maken(
                    product=product, user=publicatie_door.actor if publicatie_door else None
                )
                gemaakt += 1
    return gemaakt
