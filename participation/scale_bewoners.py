"""City-scale residents' own places, for ``manage.py load_scale`` (the step
``participation.bewoners``, after the meldingen and the followers of initiatives).

Every bewoner account gets its settings (most "meteen", a quarter weekly, some never by
e-mail), follows its werkgebied (70%) and sometimes one wijk, has about a tenth of a percent
of its werkgebied's meldingen linked to it (as if reported signed in, at most five), and
about a dozen notifications (a third unread, the weekly ones still waiting). The benchmark
resident has a full page: 40 meldingen, five followed areas, 120 notifications."""

import datetime

from django.db import connection

from cycle.scale import BENCH_EMAILS, ScaleContext, register
from people.models import Frequentie, Instellingen, Notificatie, Rol
from places.models import Wijk

from .models import Gebiedvolging, Melding

TITELS = (
    "Uw melding {code}: in behandeling",
    "Uw melding {code}: afgehandeld",
    "Gepubliceerd in {wg}: Wijkanalyse {jaar}",
    "Gepubliceerd in {wg}: Wijkprogramma {jaar}",
    "‘Schoonmaakacties met bewoners’: loopt, 40% klaar",
)


def bewoners_clear(ctx: ScaleContext) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Notificatie, Instellingen, Gebiedvolging):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
        cursor.execute(
            f"UPDATE {quote(Melding._meta.db_table)} SET melder_id = NULL "  # noqa: S608
            "WHERE melder_id IS NOT NULL"
        )


@register(
    "participation.bewoners",
    after=("participation.meldingen", "participation.volgers", "people"),
    clear=bewoners_clear,
)
def bewoners(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("bewoners")
    rollen = {}
    for role in ctx.roles.get(Rol.BEWONER, []):
        rollen.setdefault(role.user.pk, role)
    if not rollen:
        return
    bench_email = BENCH_EMAILS["bewoner"]
    wijken: dict[int, list[int]] = {}
    for pk, wg in Wijk.objects.filter(werkgebied__isnull=False).values_list("pk", "werkgebied"):
        wijken.setdefault(wg, []).append(pk)
    namen = {wg.pk: wg.naam for wg in ctx.werkgebieden}
    meldingen: dict[int, list[tuple[int, str]]] = {}
    for wg_id in {r.werkgebied_id for r in rollen.values()}:
        meldingen[wg_id] = list(
            Melding.objects.filter(werkgebied_id=wg_id)
            .order_by("-ingediend_op")
            .values_list("pk", "code")[:2000]
        )
    nu = datetime.datetime.combine(ctx.today, datetime.time(12), tzinfo=ctx.tz)
    week = "{}-W{:02d}".format(*ctx.today.isocalendar()[:2])
    instellingen, volgingen, notificaties, melders, ongelezen = [], [], [], [], {}
    gekozen: set[int] = set()
    for user_pk, role in sorted(rollen.items()):
        bench = role.user.email == bench_email
        wg = role.werkgebied_id
        frequentie = (
            Frequentie.WEKELIJKS
            if bench
            else rng.choices(
                [Frequentie.METEEN, Frequentie.WEKELIJKS, Frequentie.NOOIT], [65, 25, 10]
            )[0]
        )
        instellingen.append((user_pk, frequentie, None, None, role.vanaf, week))
        gevolgd = [wg] if bench or rng.random() < 0.7 else []
        if bench:
            gevolgd += [w.pk for w in ctx.werkgebieden[1:2]]
        for werkgebied_id in gevolgd:
            volgingen.append((user_pk, werkgebied_id, None, nu - datetime.timedelta(days=30)))
        eigen_wijken = wijken.get(wg, [])
        n_wijken = 3 if bench else (1 if eigen_wijken and rng.random() < 0.3 else 0)
        for wijk_id in eigen_wijken[:n_wijken]:
            volgingen.append((user_pk, None, wijk_id, nu - datetime.timedelta(days=20)))
        kandidaten = [m for m in meldingen.get(wg, []) if m[0] not in gekozen]
        aantal = 40 if bench else min(5, max(0, round(rng.gauss(1, 1.5))))
        eigen = (
            kandidaten[:aantal] if bench else rng.sample(kandidaten, min(aantal, len(kandidaten)))
        )
        for pk, _code in eigen:
            gekozen.add(pk)
            melders.append((pk, user_pk))
        for i in range(120 if bench else rng.randint(0, 24)):
            titel = rng.choice(TITELS).format(
                code=eigen[i % len(eigen)][1] if eigen else "ABCDE-FGHJK",
                wg=namen.get(wg, ""),
                jaar=ctx.until_year,
            )
            gelezen = rng.random() < 0.67
            moment = nu - datetime.timedelta(hours=rng.randint(1, 24 * 300))
            wacht = frequentie == Frequentie.WEKELIJKS and moment > nu - datetime.timedelta(days=7)
            mail = (
                Notificatie.Mail.GEEN
                if frequentie == Frequentie.NOOIT
                else Notificatie.Mail.WACHT
                if wacht
                else Notificatie.Mail.VERSTUURD
            )
            notificaties.append(
                (
                    user_pk,
                    "participation.scale",
                    titel,
                    "",
                    "/meldingen/",
                    moment,
                    moment + datetime.timedelta(hours=5) if gelezen else None,
                    mail,
                )
            )
            if not gelezen:
                ongelezen[user_pk] = ongelezen.get(user_pk, 0) + 1
    ctx.copy(
        Instellingen,
        [
            "user",
            "frequentie",
            "aanmelding_werkgebied",
            "bevestigd_op",
            "aangemeld_op",
            "laatste_overzicht",
        ],
        [
            (u, f, w, b, datetime.datetime.combine(v, datetime.time(9), tzinfo=ctx.tz), lo)
            for u, f, w, b, v, lo in instellingen
        ],
    )
    ctx.copy(Gebiedvolging, ["user", "werkgebied", "wijk", "aangemaakt_op"], volgingen)
    ctx.copy(
        Notificatie,
        ["user", "soort", "titel", "tekst", "url", "aangemaakt_op", "gelezen_op", "mail"],
        notificaties,
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if melders:
            cursor.execute(
                f"UPDATE {quote(Melding._meta.db_table)} AS m SET melder_id = v.u "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, u) WHERE m.id = v.id",
                [[m for m, _u in melders], [u for _m, u in melders]],
            )
        if ongelezen:
            cursor.execute(
                "UPDATE people_user AS p SET ongelezen = v.n "
                "FROM unnest(%s::bigint[], %s::int[]) AS v(id, n) WHERE p.id = v.id",
                [list(ongelezen), list(ongelezen.values())],
            )
    ctx.counts["participation.Melding (melder)"] += len(melders)
