"""City-scale consultations and reactions for ``manage.py load_scale`` (the step
``participation.consultaties``, after the products' content and before the publications, so
that the published snapshots carry their nota van beantwoording).

Every product that went to consultation gets its consultation: open from that day for six
weeks (closed early when the product was adopted sooner); its status follows the dates, or
``gesloten`` once the product was adopted. About 50,000 reactions in the city at factor 1,
spread over the consultations by a Pareto draw (most a handful, a few popular ones hundreds).
A reaction may name an agendapunt or an initiative of its product. What the rules require
holds: every placed reaction of an adopted product has its answer; only the products still in
consultation have unanswered ones, a few waiting for their confirmation and a few hidden. The
authors are addresses in :data:`cycle.scale.SCALE_EMAIL_DOMAIN`; the log has an entry for
each consultation, each placed reaction and each answer, as the services write them."""

import datetime

from django.db import connection

from cycle.models import Agendapunt, Initiatief, Productstatus
from cycle.scale import SCALE_EMAIL_DOMAIN, ScaleContext, register

from .models import Consultatie, Reactie
from .scale_volgen import TEKENS
from .services_consultatie import STANDAARD_DUUR

REACTIES_PER_FACTOR = 50_000
VERBORGEN = 0.02
WACHT = 0.02
OPENINGEN = [
    "Goed dat dit op de agenda staat,",
    "Ik mis in dit stuk",
    "Namens de bewonersorganisatie:",
    "Als ouder van twee kinderen vind ik",
    "Eindelijk aandacht voor",
    "Ik woon hier twintig jaar en",
]
ONDERWERPEN = [
    "het afval naast de containers op zaterdag",
    "de snelheid van het verkeer rond de school",
    "te weinig groen op de binnenterreinen",
    "een plek voor jongeren na negen uur 's avonds",
    "de verlichting in de steegjes",
    "de overlast bij het winkelcentrum",
    "bankjes voor ouderen langs de route naar de markt",
]
ANTWOORDEN = [
    "Dank u voor uw reactie. Dit nemen we mee in de uitwerking.",
    "Dit punt staat al in het stuk; we hebben het duidelijker beschreven.",
    "Dit valt buiten de wijkaanpak; we hebben het doorgegeven aan het cluster.",
    "Een goed punt: we hebben het toegevoegd.",
]
VERANDERD = [
    "",
    "",
    "De toelichting bij dit punt is aangevuld.",
    "Een nieuw onderdeel toegevoegd.",
]
REDENEN = [
    "Bevat een scheldwoord.",
    "Noemt de naam en het adres van een buurtbewoner.",
    "Gaat niet over dit stuk.",
]


def consultaties_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Reactie, Consultatie):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def _onderdelen(cyclus_ids) -> dict[tuple[int, str], list[int]]:
    """Per (cycle, kind) the ids of the parts a reaction may name: two queries."""
    found: dict[tuple[int, str], list[int]] = {}
    for pk, cyclus in (
        Agendapunt.objects.filter(wijkagenda__cyclus_id__in=cyclus_ids)
        .order_by("pk")
        .values_list("pk", "wijkagenda__cyclus_id")
    ):
        found.setdefault((cyclus, "wijkagenda"), []).append(pk)
    for pk, cyclus in (
        Initiatief.objects.filter(wijkprogramma__cyclus_id__in=cyclus_ids)
        .order_by("pk")
        .values_list("pk", "wijkprogramma__cyclus_id")
    ):
        found.setdefault((cyclus, "wijkprogramma"), []).append(pk)
    return found


@register(
    "participation.consultaties",
    after=("cycle", "cycle.inhoud", "cycle.programma"),
    clear=consultaties_clear,
)
def consultaties(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("consultaties")
    tokens = ctx.rng_for("consultaties", "tokens")
    plannen = []
    for cyclus in ctx.cycli:
        for product in cyclus.producten.values():
            if product.geconsulteerd_op is not None:
                plannen.append((cyclus, product))
    if not plannen:
        return
    onderdelen = _onderdelen([c.pk for c, _p in plannen])
    ids = ctx.reserve_ids(Consultatie, len(plannen))
    consultatie_rows = []
    gewichten = [rng.paretovariate(1.2) for _ in plannen]
    deel = len(ctx.werkgebieden) / max(1, len(ctx.alle_werkgebieden))
    schaal = REACTIES_PER_FACTOR * ctx.factor * deel / sum(gewichten)
    reactie_rows, n = [], 0
    nu = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=ctx.tz)
    for pk, (cyclus, product), gewicht in zip(ids, plannen, gewichten, strict=True):
        begin = product.geconsulteerd_op
        opent = ctx.local_date(begin)
        sluit = opent + STANDAARD_DUUR
        lopend = product.status == Productstatus.CONSULTATIE
        eind = product.vastgesteld_op
        if eind is not None:
            sluit = max(opent, min(sluit, ctx.local_date(eind) - datetime.timedelta(days=1)))
        if lopend:
            status = (
                "open"
                if opent <= ctx.today <= sluit
                else ("gepland" if ctx.today < opent else "gesloten")
            )
        else:
            status = "gesloten"
        geopend = begin if status != "gepland" else None
        gesloten = None
        if status == "gesloten":
            gesloten = eind or datetime.datetime.combine(
                sluit + datetime.timedelta(days=1), datetime.time(0, 5), tzinfo=ctx.tz
            )
        consultatie_rows.append(
            (
                pk,
                cyclus.pk,
                product.soort,
                f"Wat vindt u van deze {product.model._meta.verbose_name}? Mist er iets?",
                opent,
                sluit,
                status,
                1,
                begin,
                geopend,
                gesloten,
            )
        )
        ctx.audit.add(
            action="participation.consultatie_aangemaakt",
            actor=None,
            actor_rol="",
            target_model=Consultatie,
            object_id=pk,
            data={
                "product": product.soort,
                "opent_op": opent.isoformat(),
                "sluit_op": sluit.isoformat(),
                "status": status,
            },
            timestamp=begin,
        )
        delen = onderdelen.get((cyclus.pk, product.soort), [])
        # The reactions come in while it is open (and before today).
        laatste = min(
            datetime.datetime.combine(sluit, datetime.time(20), tzinfo=ctx.tz),
            eind or nu,
            nu,
        )
        spanne = max(60.0, (laatste - begin).total_seconds())
        for _ in range(max(0, round(gewicht * schaal))):
            n += 1
            at = begin + datetime.timedelta(seconds=rng.uniform(30, spanne))
            tekst = f"{rng.choice(OPENINGEN)} {rng.choice(ONDERWERPEN)}."
            deel_id = rng.choice(delen) if delen and rng.random() < 0.4 else None
            agendapunt = deel_id if product.soort == "wijkagenda" else None
            initiatief = deel_id if product.soort == "wijkprogramma" else None
            lot = rng.random()
            email = f"reactie{n}{SCALE_EMAIL_DOMAIN}"
            if lopend and status == "open" and lot < WACHT and (nu - at).days < 2:
                token = "".join(tokens.choice(TEKENS) for _ in range(43))
                reactie_rows.append(
                    (
                        None,
                        pk,
                        tekst,
                        agendapunt,
                        initiatief,
                        email,
                        "wacht",
                        token,
                        at + datetime.timedelta(hours=48),
                        at,
                        None,
                        "",
                        None,
                        "",
                        "",
                        None,
                        1,
                    )
                )
                continue
            verborgen = lot > 1 - VERBORGEN
            # Adopted: every placed one answered. Still in consultation: about half.
            beantwoord = not lopend or rng.random() < 0.5
            antwoord_op = None
            if beantwoord:
                antwoord_op = min(
                    at + datetime.timedelta(days=rng.uniform(1, 20)),
                    (eind - datetime.timedelta(minutes=5)) if eind else nu,
                )
                antwoord_op = max(antwoord_op, at + datetime.timedelta(minutes=1))
            reactie_rows.append(
                (
                    None,
                    pk,
                    tekst,
                    agendapunt,
                    initiatief,
                    email,
                    "verborgen" if verborgen else "geplaatst",
                    None,
                    None,
                    at,
                    at,
                    rng.choice(REDENEN) if verborgen else "",
                    at + datetime.timedelta(hours=6) if verborgen else None,
                    rng.choice(ANTWOORDEN) if beantwoord else "",
                    rng.choice(VERANDERD) if beantwoord else "",
                    antwoord_op,
                    1 + int(beantwoord) + int(verborgen),
                )
            )
    ctx.copy(
        Consultatie,
        [
            "id",
            "cyclus",
            "soort",
            "vraag",
            "opent_op",
            "sluit_op",
            "status",
            "versie",
            "aangemaakt_op",
            "geopend_op",
            "gesloten_op",
        ],
        consultatie_rows,
    )
    reactie_ids = ctx.reserve_ids(Reactie, len(reactie_rows))
    rows = []
    for rid, row in zip(reactie_ids, reactie_rows, strict=True):
        rows.append((rid, *row[1:]))
        if row[6] != "wacht":
            ctx.audit.add(
                action="participation.reactie_geplaatst",
                actor=None,
                actor_rol="",
                target_model=Reactie,
                object_id=rid,
                data={"consultatie": row[1], "via": "e-mail"},
                timestamp=row[10],
            )
        if row[15] is not None:
            ctx.audit.add(
                action="participation.reactie_beantwoord",
                actor=None,
                actor_rol="wijkmanager",
                target_model=Reactie,
                object_id=rid,
                data={"consultatie": row[1], "gewijzigd": False},
                timestamp=row[15],
            )
    ctx.copy(
        Reactie,
        [
            "id",
            "consultatie",
            "tekst",
            "agendapunt",
            "initiatief",
            "email",
            "status",
            "token",
            "token_geldig_tot",
            "aangemaakt_op",
            "geplaatst_op",
            "verborgen_reden",
            "verborgen_op",
            "antwoord",
            "wat_veranderd",
            "beantwoord_op",
            "versie",
        ],
        rows,
    )
