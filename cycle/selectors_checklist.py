"""Reads of the checklist "Wat is er aan de hand in de wijk?": its questions, a respondent's
own answers, the wijkmanager's overview of all answers, the block on the wijkanalyse page and
the open checklists on "Mijn werk". Each a fixed number of queries, whatever the number of
respondents.

Outside the respondent's own page, respondents are shown by type and a number ("bewoner 3"),
never by name or e-mail address."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from people.models import Rol
from people.roles import covers, holds

from .models import (
    VASTGESTELDE_STATUSSEN,
    ChecklistAntwoord,
    ChecklistInvulling,
    ChecklistVraag,
    Fase,
    Respondent,
    ThemaAnalyse,
    Wijkanalyse,
    Wijkthema,
)
from .rules import checklist_is_open

# The columns of the overview, in the order the seed names them.
KOLOMMEN = (
    Respondent.BEWONER,
    Respondent.WIJKMANAGER,
    Respondent.ACCOUNTHOUDER,
    Respondent.WIJKRAADSLID,
)
KOLOM_TITELS = {
    Respondent.BEWONER: _lazy("Bewoners"),
    Respondent.WIJKMANAGER: _lazy("Wijkmanager"),
    Respondent.ACCOUNTHOUDER: _lazy("Accounthouders"),
    Respondent.WIJKRAADSLID: _lazy("Wijkraadsleden"),
}
# Who holds several roles fills in as the professional first (they choose the other on the
# page): the same order as the role someone is said to have acted in.
INVUL_VOLGORDE = (
    Respondent.WIJKMANAGER,
    Respondent.WIJKRAADSLID,
    Respondent.ACCOUNTHOUDER,
    Respondent.BEWONER,
)
# "Mijn werk" lists at most this many open checklists (a wijkmanager of a whole gebied has a
# handful; more means something is off, and the list says there are more).
MIJN_WERK_MAX = 20


def respondent_rollen(user, wijkanalyse) -> list[Respondent]:
    """The respondent types ``user`` may answer as in ``wijkanalyse``'s werkgebied (today),
    open or not. No query once the user's roles are read."""
    return [r for r in INVUL_VOLGORDE if holds(user, Rol(r.value), wijkanalyse)]


def vragen_per_groep() -> list[dict]:
    """The active questions in their groups, in order: ``[{"nummer", "naam", "vragen"}]``
    (one query, kept under the public version: the admin's edits bump it)."""
    from pagecache.services import memoised

    return memoised("cycle.checklist.vragen_per_groep", _vragen_per_groep)


def huidige_groep(groep) -> dict:
    """The group of questions a page shows (``groep``: its number from the query string)."""
    groepen = vragen_per_groep()
    if not groepen:
        return {"nummer": 1, "naam": "", "vragen": []}
    return Paginator(groepen, 1).get_page(groep).object_list[0]


def groep_naam(groep) -> str:
    """The name of the group a page shows (for its title): only the names are read from the
    cache, not the questions."""
    from pagecache.services import memoised

    namen = memoised(
        "cycle.checklist.groep_namen", lambda: [g["naam"] for g in _vragen_per_groep()]
    )
    if not namen:
        return ""
    return Paginator(namen, 1).get_page(groep).object_list[0]


def _vragen_per_groep() -> list[dict]:
    groepen: dict[str, list[ChecklistVraag]] = {}
    for vraag in ChecklistVraag.objects.filter(actief=True).order_by("nummer"):
        groepen.setdefault(vraag.groep, []).append(vraag)
    return [
        {"nummer": index, "naam": naam, "vragen": vragen}
        for index, (naam, vragen) in enumerate(groepen.items(), start=1)
    ]


def _geciteerd():
    return Exists(
        ChecklistAntwoord.themaanalyses.through.objects.filter(checklistantwoord_id=OuterRef("pk"))
    )


def eigen_invulling(wijkanalyse, user, respondent: str) -> ChecklistInvulling | None:
    """``user``'s checklist as ``respondent``, with ``per_nummer`` (question number → answer,
    each with ``geciteerd``: quoted in the analysis, so kept as it is). Two queries."""
    if not user.is_authenticated:
        return None
    invulling = (
        ChecklistInvulling.objects.filter(wijkanalyse=wijkanalyse, user=user, respondent=respondent)
        .prefetch_related(
            Prefetch(
                "antwoorden",
                queryset=ChecklistAntwoord.objects.select_related("vraag").annotate(
                    geciteerd=_geciteerd()
                ),
            )
        )
        .first()
    )
    if invulling is not None:
        invulling.per_nummer = {a.vraag.nummer: a for a in invulling.antwoorden.all()}
    return invulling


def _pseudoniemen(wijkanalyse) -> tuple[dict[int, str], dict[str, int]]:
    """Per checklist a label such as "bewoner 3" (numbered per type in order of first
    submission, so the same on every page), and the number of checklists per type."""
    labels, aantallen = {}, dict.fromkeys(KOLOMMEN, 0)
    rows = (
        ChecklistInvulling.objects.filter(wijkanalyse=wijkanalyse)
        .order_by("ingediend_op", "pk")
        .values_list("pk", "respondent")
    )
    for pk, respondent in rows:
        aantallen[respondent] = aantallen.get(respondent, 0) + 1
        labels[pk] = _("%(soort)s %(nummer)s") % {
            "soort": Respondent(respondent).label,
            "nummer": aantallen[respondent],
        }
    return labels, aantallen


def antwoorden_overzicht(wijkanalyse, groep, *, met_themas: bool) -> dict:
    """The overview of one group of questions (``groep``: its number, from the query string,
    anything else gives the first): per question the answers side by side per respondent
    type, each with the themes it is quoted in. Bounded per page by the group's questions
    (at most a few hundred answers at city scale); five queries, six ``met_themas`` (the
    active themes to quote in)."""
    groepen = vragen_per_groep()
    pagina = Paginator(groepen, 1).get_page(groep)
    huidige = pagina.object_list[0] if groepen else {"nummer": 1, "naam": "", "vragen": []}
    labels, aantallen = _pseudoniemen(wijkanalyse)
    antwoorden = (
        ChecklistAntwoord.objects.filter(
            invulling__wijkanalyse=wijkanalyse, vraag__in=huidige["vragen"]
        )
        .select_related("invulling")
        .only("pk", "tekst", "vraag_id", "invulling__id", "invulling__respondent")
        .prefetch_related(
            Prefetch(
                "themaanalyses",
                queryset=ThemaAnalyse.objects.filter(wijkanalyse=wijkanalyse)
                .select_related("thema")
                .only("pk", "wijkanalyse_id", "thema__naam", "thema__volgorde", "thema__slug"),
            )
        )
        .order_by("vraag__nummer", "invulling__ingediend_op", "invulling__pk")
    )
    per_vraag: dict[int, dict[str, list]] = {}
    for antwoord in antwoorden:
        antwoord.pseudoniem = labels.get(antwoord.invulling_id, "")
        kolommen = per_vraag.setdefault(antwoord.vraag_id, {r: [] for r in KOLOMMEN})
        kolommen.setdefault(antwoord.invulling.respondent, []).append(antwoord)
    vragen = []
    for vraag in huidige["vragen"]:
        kolommen = per_vraag.get(vraag.pk, {r: [] for r in KOLOMMEN})
        vragen.append(
            {
                "vraag": vraag,
                "aantal": sum(len(a) for a in kolommen.values()),
                "kolommen": [
                    {"respondent": r, "titel": KOLOM_TITELS[r], "antwoorden": kolommen[r]}
                    for r in KOLOMMEN
                ],
            }
        )
    return {
        "groepen": [{"nummer": g["nummer"], "naam": g["naam"]} for g in groepen],
        "groep": huidige,
        "pagina": pagina,
        "vragen": vragen,
        "aantallen": [
            {"respondent": r, "titel": KOLOM_TITELS[r], "aantal": aantallen.get(r, 0)}
            for r in KOLOMMEN
        ],
        "totaal": sum(aantallen.values()),
        "themas": list(Wijkthema.objects.filter(actief=True)) if met_themas else [],
    }


def groep_van_vraag(vraag_id: int) -> int:
    """The number of the group (the overview's page) that question ``vraag_id`` is on."""
    for groep in vragen_per_groep():
        if any(v.pk == vraag_id for v in groep["vragen"]):
            return groep["nummer"]
    return 1


def _urls(cyclus) -> dict[str, str]:
    kwargs = {"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar}
    return {
        "invullen_url": reverse("checklist-invullen", kwargs=kwargs),
        "antwoorden_url": reverse("checklist-antwoorden", kwargs=kwargs),
    }


def checklist_blok(wijkanalyse, user) -> dict:
    """What the block on the wijkanalyse page (``cycle/checklist/_wijkanalyse_blok.html``)
    shows ``user``: whether the checklist is open, the respondent types they may answer as
    (each with their own checklist, if any), and, for who runs the cycle, the number of
    respondents per type. At most two queries (none for an anonymous visitor, whose page is
    shared: it depends on the phase and status only)."""
    rollen = respondent_rollen(user, wijkanalyse)
    open_ = bool(checklist_is_open(user, wijkanalyse))
    eigen = {}
    if rollen:
        eigen = {
            row["respondent"]: row
            for row in ChecklistInvulling.objects.filter(wijkanalyse=wijkanalyse, user=user)
            .annotate(aantal=Count("antwoorden"))
            .values("respondent", "gewijzigd_op", "aantal")
        }
    mag_antwoorden_zien = user.has_perm("cycle.view_checklist_answers", wijkanalyse)
    aantallen = []
    if mag_antwoorden_zien:
        per_soort = dict(
            ChecklistInvulling.objects.filter(wijkanalyse=wijkanalyse)
            .values_list("respondent")
            .annotate(n=Count("pk"))
            .order_by()
        )
        aantallen = [
            {"respondent": r, "titel": KOLOM_TITELS[r], "aantal": per_soort.get(r, 0)}
            for r in KOLOMMEN
        ]
    return {
        "open": open_,
        "anoniem": not user.is_authenticated,
        "rollen": [
            {"respondent": r, "value": r.value, "label": r.label, "eigen": eigen.get(r.value)}
            for r in rollen
        ],
        "mag_invullen": open_ and bool(rollen),
        "mag_antwoorden_zien": mag_antwoorden_zien,
        "aantallen": aantallen,
        "totaal": sum(a["aantal"] for a in aantallen),
        **_urls(wijkanalyse.cyclus),
    }


RESPONDENT_ROLLEN = {r.value for r in Respondent}


def open_checklists(user, assignments) -> dict:
    """The checklists open now in the werkgebieden where ``user`` may answer (as any of their
    respondent roles), one line per role, each with when they last saved it (None: not yet):
    for "Mijn werk". One query (none without such a role), whatever there is to show: when
    each role last saved comes along as a subquery; at most ``MIJN_WERK_MAX`` analyses,
    ``meer`` when there are more."""
    leeg = {"regels": [], "meer": False}
    rollen = [a for a in assignments if a.rol in RESPONDENT_ROLLEN]
    if not rollen:
        return leeg
    scope = Q(pk__in=[])
    werkgebieden = {a.werkgebied_id for a in rollen if a.werkgebied_id}
    gebieden = {a.gebied_id for a in rollen if a.gebied_id}
    if werkgebieden:
        scope |= Q(cyclus__werkgebied_id__in=werkgebieden)
    if gebieden:
        scope |= Q(cyclus__werkgebied__gebied_id__in=gebieden)
    eigen = sorted({a.rol for a in rollen})
    analyses = list(
        Wijkanalyse.objects.filter(scope, cyclus__fase=Fase.ANALYSE)
        .exclude(status__in=VASTGESTELDE_STATUSSEN)
        .select_related("cyclus__werkgebied")
        .only(
            "pk",
            "status",
            "cyclus__id",
            "cyclus__jaar",
            "cyclus__fase",
            "cyclus__analyse_eind",
            "cyclus__werkgebied__id",
            "cyclus__werkgebied__naam",
            "cyclus__werkgebied__slug",
            "cyclus__werkgebied__gebied_id",
        )
        .annotate(
            **{
                f"ingevuld_{rol}": Subquery(
                    ChecklistInvulling.objects.filter(
                        user=user, wijkanalyse=OuterRef("pk"), respondent=rol
                    ).values("gewijzigd_op")[:1]
                )
                for rol in eigen
            }
        )
        .order_by("cyclus__werkgebied__naam", "cyclus__jaar")[: MIJN_WERK_MAX + 1]
    )
    if not analyses:
        return leeg
    meer = len(analyses) > MIJN_WERK_MAX
    analyses = analyses[:MIJN_WERK_MAX]
    ingevuld = {
        (analyse.pk, rol): getattr(analyse, f"ingevuld_{rol}")
        for analyse in analyses
        for rol in eigen
    }
    regels = []
    for analyse in analyses:
        werkgebied = analyse.cyclus.werkgebied
        for respondent in INVUL_VOLGORDE:
            if not any(a.rol == respondent.value and covers(a, werkgebied) for a in rollen):
                continue
            urls = _urls(analyse.cyclus)
            regels.append(
                {
                    "cyclus": analyse.cyclus,
                    "respondent": respondent,
                    "gewijzigd_op": ingevuld.get((analyse.pk, respondent.value)),
                    "url": f"{urls['invullen_url']}?als={respondent.value}",
                    "antwoorden_url": urls["antwoorden_url"]
                    if user.has_perm("cycle.view_checklist_answers", analyse)
                    else "",
                }
            )
    return {"regels": regels, "meer": meer}
