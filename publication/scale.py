"""The publications of the generated city (a step of ``manage.py load_scale``): version 1 of
every published product, with its real frozen HTML (rendered as publishing renders it), and the
corrections of a few.

Corrections: about 3% of the published products were reopened some days to weeks after their
publication, with a reason, adopted again and published as version 2 (a correction, with its
reason in its frozen HTML), before today; about 1% were reopened and are still being corrected
(status ``correctie``, only version 1). The products are updated to match (status, reason,
adoption, latest publication, the college's decision where the college adopts), the log holds
the three transitions exactly as ``cycle.services.product_transition`` writes them, by a
wijkmanager of the werkgebied, and the outbox the notices of the new publication. A product
being corrected is not adopted, so no phase of its cycle ends meanwhile (a cycle cannot move on
or close without it). Each product draws from streams of its own (type, werkgebied and year):
the products with the lowest draws are corrected, then the next ones reopened, and how does
not depend on the factor; a small city (the tests, the benchmark's smoke) still gets one of
each. The benchmark's busy cycle is never left in correction: it carries out a published
programme.

A PDF is not rendered per version: the city has about a thousand, and rendering takes most of a
second each. One PDF is rendered, from the first snapshot, and stored once; every generated
version (a correction too) refers to that file (with its checksum and size), so the pages that
list versions and link their PDFs show what they will show in production. Generated data only:
the portal itself renders each version's own PDF."""

import datetime
import itertools
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cycle.models import (
    PRODUCT_MODELLEN,
    WERKFASEN,
    Productstatus,
    Taakverdeling,
    Vaststelling,
)
from cycle.scale import NoticeWriter, ScaleContext, ScaleUser, register
from people.models import Rol

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
    "gepubliceerd_door",
    "gepubliceerd_door_naam",
    "correctie_reden",
    "html",
    "pdf",
    "pdf_sha256",
    "pdf_grootte",
    "pdf_status",
    "pdf_fout",
    "pdf_pogingen",
    "pdf_gemaakt_op",
]

# Shares of the published products (rounded, at least one): corrected and published again,
# reopened and still open.
GECORRIGEERD_KANS = 0.03
HEROPEND_KANS = 0.01
# Days from one step of a correction to the next (each on a later day than the one before):
# reopened after the publication, adopted after reopening, published after adoption.
DAGEN_HEROPENEN = (1, 28)
DAGEN_VASTSTELLEN = (1, 14)
DAGEN_PUBLICEREN = (1, 7)
# A product still in correction was reopened at most this many days before today.
DAGEN_OPEN = 42
# Why a product was corrected: for any product, and for each type its own.
REDENEN_ALGEMEEN = (
    "De cijfers van de veiligheidsindex waren van het verkeerde jaar.",
    "Een buurt was ten onrechte bij het werkgebied genoemd.",
    "Een verwijzing naar het Wijkprofiel ging over de verkeerde wijk.",
    "De datum van de bewonersavond was verkeerd vermeld.",
)
REDENEN = {
    "wijkanalyse": (
        *REDENEN_ALGEMEEN,
        "De conclusies misten een aanbeveling die de wijkraad had ingebracht.",
        "De evaluatie noemde een initiatief dat vorig jaar niet is uitgevoerd.",
    ),
    "wijkagenda": (
        *REDENEN_ALGEMEEN,
        "Een prioriteit uit de bewonersavond ontbrak in de lijst.",
        "Twee prioriteiten stonden in de verkeerde volgorde.",
    ),
    "wijkprogramma": (
        *REDENEN_ALGEMEEN,
        "Het bestedingsvoorstel telde niet op tot het wijkbudget.",
        "De naam van een trekker van een initiatief was verkeerd gespeld.",
        "Een initiatief stond dubbel in de lijst; de dubbele regel is weggehaald.",
    ),
    "wijkverslag": (
        *REDENEN_ALGEMEEN,
        "Een bedrag in de jaarrekening was verkeerd overgenomen.",
        "De resultaten van twee initiatieven waren verwisseld.",
    ),
}

G, K = Productstatus.GEPUBLICEERD.value, Productstatus.CORRECTIE.value
V = Productstatus.VASTGESTELD.value


@dataclass
class _Kandidaat:
    """A published product and its draw for a correction."""

    model: type
    product: object
    # (type, werkgebied, year): the product's own streams are seeded with it.
    sleutel: tuple
    lot: float
    # The day of its publication (version 1) and the days its cycle changed phase: a product
    # being corrected is not adopted, and a cycle cannot move on (or close) without it.
    dag: datetime.date
    overgangen: list[datetime.date]


def publicaties_clear(ctx: ScaleContext) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Publicatie._meta.db_table)}")  # noqa: S608


# After the content too: a frozen analysis or agenda shows its themes and points; and after
# the consultations: a frozen product carries its nota van beantwoording.
@register(
    "publication.publicaties",
    after=("cycle", "cycle.inhoud", "cycle.programma", "participation.consultaties"),
    clear=publicaties_clear,
)
def publicaties(ctx: ScaleContext) -> None:
    kandidaten = []
    for model in PRODUCT_MODELLEN:
        products = (
            model.objects.filter(
                status=Productstatus.GEPUBLICEERD, cyclus__werkgebied__in=ctx.werkgebieden
            )
            .select_related("cyclus__werkgebied")
            .order_by("pk")
        )
        for product in products:
            cyclus = product.cyclus
            sleutel = (model.SOORT, cyclus.werkgebied.slug, cyclus.jaar)
            overgangen = [cyclus.werkelijk(fase)[1] for fase in WERKFASEN]
            kandidaten.append(
                _Kandidaat(
                    model=model,
                    product=product,
                    sleutel=sleutel,
                    lot=ctx.rng_for("publication", "lot", *sleutel).random(),
                    dag=ctx.local_date(product.gepubliceerd_op),
                    overgangen=sorted(d for d in overgangen if d is not None),
                )
            )

    gecorrigeerd, heropend = _kies(ctx, kandidaten)
    correcties = _Correcties(ctx)
    rows = []
    pdf = None
    for kandidaat in kandidaten:
        product = kandidaat.product
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
        rows.append(_row(product, 1, product.gepubliceerd_op, None, "wijkmanager", "", html, pdf))
    # Version 2 of the corrected products, after every version 1 (as they were published).
    for kandidaat, plan in gecorrigeerd:
        rows.append(correcties.gecorrigeerd(kandidaat, *plan, pdf))
    for kandidaat, plan in heropend:
        correcties.heropend(kandidaat, *plan)
    ctx.copy(Publicatie, FIELDS, rows)
    correcties.opslaan()


def _kies(ctx: ScaleContext, kandidaten: list[_Kandidaat]):
    """The products corrected and published again, and those reopened and still open, each
    with its plan: the shares of the published products (at least one of each), taken in the
    order of their draws, passing over those whose correction does not fit before today."""
    laatste_dag = ctx.today - datetime.timedelta(days=1)
    op_lot = sorted(kandidaten, key=lambda k: (k.lot, k.sleutel))
    aantal = len(op_lot)
    gecorrigeerd = []
    for k in op_lot:
        if len(gecorrigeerd) >= max(1, round(GECORRIGEERD_KANS * aantal)):
            break
        plan = _plan_correctie(ctx, k, laatste_dag)
        if plan is not None:
            gecorrigeerd.append((k, plan))
    gekozen = {id(k) for k, _plan in gecorrigeerd}
    # The benchmark's busy cycle carries out a published programme: none of it stays open.
    bench = (ctx.bench.get("werkgebied"), ctx.bench.get("jaar"))
    heropend = []
    for k in op_lot:
        if len(heropend) >= max(1, round(HEROPEND_KANS * aantal)):
            break
        if id(k) in gekozen or k.sleutel[1:] == bench:
            continue
        plan = _plan_heropend(ctx, k, laatste_dag)
        if plan is not None:
            heropend.append((k, plan))
    return gecorrigeerd, heropend


def _plan_correctie(ctx: ScaleContext, k: _Kandidaat, laatste_dag: datetime.date):
    """(its stream, the days it was reopened, adopted again and published again) of a
    correction some days to weeks after its publication, with no change of phase of its cycle
    in between, before today; None where it does not fit."""
    rng = ctx.rng_for("publication", "correctie", *k.sleutel)
    stappen = [rng.randint(*d) for d in (DAGEN_HEROPENEN, DAGEN_VASTSTELLEN, DAGEN_PUBLICEREN)]
    basis = k.dag
    while True:
        dagen = [basis + datetime.timedelta(days=n) for n in itertools.accumulate(stappen)]
        if dagen[-1] > laatste_dag:  # not long before today: in the days left
            dagen = _in(rng, basis, laatste_dag + datetime.timedelta(days=1))
            if dagen is None:
                return None
        binnen = [d for d in k.overgangen if dagen[0] <= d <= dagen[-1]]
        if not binnen:
            return rng, dagen
        # The cycle moved on in between: before that day if there is room, else after it.
        eerder = _in(rng, basis, binnen[0])
        if eerder is not None:
            return rng, eerder
        basis = binnen[-1]


def _in(rng: random.Random, na: datetime.date, voor: datetime.date):
    """Three days strictly between ``na`` and ``voor``, in order, or None."""
    ruimte = (voor - na).days - 1
    if ruimte < 3:
        return None
    return [na + datetime.timedelta(days=n) for n in sorted(rng.sample(range(1, ruimte + 1), 3))]


def _plan_heropend(ctx: ScaleContext, k: _Kandidaat, laatste_dag: datetime.date):
    """(its stream, the day it was reopened): in the last weeks before today, after its
    publication and after its cycle last changed phase; None where that cannot be."""
    rng = ctx.rng_for("publication", "heropend", *k.sleutel)
    dag = laatste_dag - datetime.timedelta(days=rng.randrange(DAGEN_OPEN))
    vroegst = max([k.dag, *k.overgangen]) + datetime.timedelta(days=1)
    if vroegst > laatste_dag:
        return None
    return rng, max(dag, vroegst)


def _row(product, versie, gepubliceerd_op, door, door_naam, reden, html, pdf) -> tuple:
    return (
        ContentType.objects.get_for_model(product).pk,
        product.pk,
        product.SOORT,
        product.cyclus.werkgebied_id,
        product.cyclus.jaar,
        versie,
        product.titel,
        gepubliceerd_op,
        door,
        door_naam,
        reden,
        html,
        *pdf,
        Pdfstatus.KLAAR.value,
        "",
        1,
        gepubliceerd_op,
    )


class _Correcties:
    """The corrections: their log entries and notices as they are made, the products' new
    state written at the end with one update per product type."""

    def __init__(self, ctx: ScaleContext):
        self.ctx = ctx
        # An outbox stream of its own: the shared one stays what the other steps drew from it.
        self.notices = NoticeWriter(ctx.counts, ctx.rng_for("publication", "notices"))
        self.college = set(
            Taakverdeling.objects.filter(
                werkgebied__in=ctx.werkgebieden, vaststelling=Vaststelling.COLLEGE
            ).values_list("werkgebied_id", flat=True)
        )
        self.scale_products = {
            (p.model, p.pk): p for cyclus in ctx.cycli for p in cyclus.producten.values()
        }
        self.updates: dict[type, list] = {}

    def _actor(self, kandidaat, rng, dag, vorige: ScaleUser | None) -> tuple[ScaleUser, str]:
        """A wijkmanager of the werkgebied on ``dag`` (the one who started the correction
        while they still are), else a beheerder."""
        werkgebied = kandidaat.product.cyclus.werkgebied
        managers = self.ctx.holders([Rol.WIJKMANAGER], werkgebied=werkgebied, on=dag)
        if managers:
            if vorige is not None and vorige in managers:
                return vorige, Rol.WIJKMANAGER.value
            return rng.choice(managers), Rol.WIJKMANAGER.value
        beheerders = self.ctx.holders([], werkgebied=None, on=dag, city_wide=[Rol.BEHEERDER])
        return rng.choice(beheerders), Rol.BEHEERDER.value

    def _log(self, kandidaat, actor, rol, moment, overgang, van, naar, reden="", **extra):
        product = kandidaat.product
        return self.ctx.audit.add(
            action="cycle.product_transition",
            actor=actor,
            actor_rol=rol,
            target_model=kandidaat.model,
            object_id=product.pk,
            data={
                "product": product.SOORT,
                "overgang": overgang,
                "van": van,
                "naar": naar,
                "reden": reden,
                **extra,
            },
            timestamp=moment,
        )

    def _heropenen(self, kandidaat, rng, actors, dag):
        reden = rng.choice(REDENEN[kandidaat.model.SOORT])
        moment = self.ctx.moment(dag, rng)
        actor, rol = self._actor(kandidaat, actors, dag, None)
        self._log(kandidaat, actor, rol, moment, "heropenen", G, K, reden)
        return reden, moment, actor

    def heropend(self, kandidaat: _Kandidaat, rng: random.Random, dag: datetime.date) -> None:
        """Reopened with a reason on ``dag`` and still being corrected."""
        actors = self.ctx.rng_for("publication", "actor", *kandidaat.sleutel)
        reden, moment, _actor = self._heropenen(kandidaat, rng, actors, dag)
        p = kandidaat.product
        self._update(
            kandidaat,
            status=K,
            # Each step raises the product's version (cycle.services.product_transition).
            versie=p.versie + 1,
            correctie_reden=reden,
            vastgesteld_op=p.vastgesteld_op,
            gepubliceerd_op=p.gepubliceerd_op,
            gewijzigd_op=moment,
            besluitreferentie=p.besluitreferentie,
        )

    def gecorrigeerd(self, kandidaat: _Kandidaat, rng: random.Random, dagen, pdf) -> tuple:
        """Reopened, adopted and published again on ``dagen``: the row of its version 2."""
        ctx, product = self.ctx, kandidaat.product
        werkgebied, jaar = product.cyclus.werkgebied, product.cyclus.jaar
        heropend_dag, vastgesteld_dag, gepubliceerd_dag = dagen
        # Who acts from a stream of its own: what and when stay the same at any factor (which
        # multiplies the wijkmanagers to choose from).
        actors = ctx.rng_for("publication", "actor", *kandidaat.sleutel)
        reden, _heropend, actor = self._heropenen(kandidaat, rng, actors, heropend_dag)

        vastgesteld = ctx.moment(vastgesteld_dag, rng)
        actor, rol = self._actor(kandidaat, actors, vastgesteld_dag, actor)
        besluit = {}
        besluitreferentie = product.besluitreferentie
        if werkgebied.pk in self.college:
            besluitreferentie = f"B&W {vastgesteld_dag.year}/{rng.randrange(1, 2000):04d}"
            besluit["besluit"] = besluitreferentie
        self._log(kandidaat, actor, rol, vastgesteld, "vaststellen", K, V, **besluit)

        gepubliceerd = ctx.moment(gepubliceerd_dag, rng)
        actor, rol = self._actor(kandidaat, actors, gepubliceerd_dag, actor)
        entry = self._log(kandidaat, actor, rol, gepubliceerd, "publiceren", V, G)
        self._update(
            kandidaat,
            status=G,
            versie=product.versie + 3,
            correctie_reden=reden,
            vastgesteld_op=vastgesteld,
            gepubliceerd_op=gepubliceerd,
            gewijzigd_op=gepubliceerd,
            besluitreferentie=besluitreferentie,
        )
        # What the public may read about who published (publication.services._publieke_naam).
        with translation.override(settings.LANGUAGE_CODE):
            naam = actor.naam or str(Rol(rol).label)
        url = reverse(
            "publicatie-detail",
            kwargs={"slug": werkgebied.slug, "jaar": jaar, "soort": product.SOORT, "versie": 2},
        )
        self._notices(kandidaat, entry, actor, gepubliceerd, gepubliceerd_dag, url, reden)
        # Version 2 shows the product as it is now: adopted again (by the college, where it
        # adopts, with its decision).
        product.vastgesteld_op = vastgesteld
        product.besluitreferentie = besluitreferentie
        html = render_snapshot(
            product,
            versie=2,
            gepubliceerd_op=gepubliceerd,
            gepubliceerd_door=naam,
            correctie_reden=reden,
        )
        return _row(product, 2, gepubliceerd, actor.pk, naam, reden, html, pdf)

    def _notices(self, kandidaat, entry, actor, moment, dag, url, reden) -> None:
        """As cycle.notifications.product_published_notices writes them for a correction."""
        product = kandidaat.product
        ontvangers = [
            u
            for u in self.ctx.holders(
                [Rol.WIJKRAADSLID, Rol.WIJKMANAGER],
                werkgebied=product.cyclus.werkgebied,
                on=dag,
                city_wide=[Rol.RAAD],
            )
            if u.pk != actor.pk
        ]
        with translation.override(settings.LANGUAGE_CODE):
            context = {"titel": product.titel, "url": settings.SITE_URL + url, "reden": reden}
            subject = _("Gecorrigeerd gepubliceerd: %(titel)s") % context
            body = (
                _(
                    "%(titel)s is opnieuw gepubliceerd, als correctie van de vorige versie. "
                    "Reden van de correctie: %(reden)s\n\nDe nieuwe versie staat op %(url)s"
                )
                % context
            )
        self.notices.add(
            kind="cycle.published",
            recipients=ontvangers,
            subject=subject,
            body=body,
            audit_entry_id=entry,
            created_at=moment,
        )

    def _update(self, kandidaat, **velden) -> None:
        # A new instance: the status field is protected on loaded ones.
        self.updates.setdefault(kandidaat.model, []).append(
            kandidaat.model(pk=kandidaat.product.pk, **velden)
        )
        scale_product = self.scale_products.get((kandidaat.model, kandidaat.product.pk))
        if scale_product is not None:  # what later steps see of the product
            scale_product.status = velden["status"]
            scale_product.versie = velden["versie"]
            scale_product.vastgesteld_op = velden["vastgesteld_op"]
            scale_product.gepubliceerd_op = velden["gepubliceerd_op"]

    def opslaan(self) -> None:
        for model, products in self.updates.items():
            model.objects.bulk_update(
                products,
                [
                    "status",
                    "versie",
                    "correctie_reden",
                    "vastgesteld_op",
                    "gepubliceerd_op",
                    "gewijzigd_op",
                    "besluitreferentie",
                ],
            )
        # The entries the notices point at go first.
        self.ctx.audit.flush()
        self.notices.flush()
