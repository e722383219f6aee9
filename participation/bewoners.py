"""What participation adds to a resident's own place: their meldingen (linked to their
account when they reported signed in), following a werkgebied or a wijk, the notifications
about both (and about the initiatives they follow by e-mail), the sections of "Mijn wijk",
and their part of the AVG download and of deleting an account.

Notifications go through ``people.notificaties`` (in the transaction of the change they tell
about), which mails them at once, weekly or not, as the resident chose."""

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from audit.services import audit_log
from people.models import User
from people.notificaties import notificaties_maken

from .models import Gebiedvolging, Melding, Reactie, Reactiestatus, Volger
from .models_steun import Steunbetuiging

SOORT_MELDING = "participation.melding_status"
SOORT_INITIATIEF = "participation.initiatief_voortgang"
SOORT_PUBLICATIE = "participation.publicatie"
SECTIE_GROOTTE = 10


# ---------------------------------------------------------------------------- notifications


def melding_notificatie(melding: Melding) -> None:
    """Inside the transaction of a status change: tell the reporter's account, if any."""
    if melding.melder_id is None:
        return
    notificaties_maken(
        users=[melding.melder_id],
        soort=SOORT_MELDING,
        titel=_("Uw melding %(code)s: %(status)s")
        % {"code": melding.code, "status": melding.get_status_display()},
        tekst=melding.antwoord if melding.antwoord and not melding.is_open else "",
        url=melding.get_absolute_url(),
    )


def accounts_van(adressen) -> dict[str, int]:
    """{address (casefolded): user id} of the active accounts among ``adressen``."""
    lower = {a.strip().lower() for a in adressen}
    return {
        email.casefold(): pk
        for pk, email in User.objects.filter(email__in=lower, is_active=True).values_list(
            "pk", "email"
        )
    }


def initiatief_notificatie(*, initiatief, user_ids, titel: str, url: str) -> None:
    """Followers of an initiative who have an account hear of its progress as a notification
    (mailed as they chose) instead of the follower's own mail."""
    if user_ids:
        notificaties_maken(users=user_ids, soort=SOORT_INITIATIEF, titel=titel, url=url)


def publicatie_notificatie(*, product) -> int:
    """Inside the transaction that publishes ``product``: everyone following its werkgebied
    or one of its wijken hears of it. One query for the followers, one insert."""
    werkgebied = product.cyclus.werkgebied
    user_ids = set(
        Gebiedvolging.objects.filter(
            Q(werkgebied=werkgebied) | Q(wijk__werkgebied=werkgebied)
        ).values_list("user_id", flat=True)
    )
    if not user_ids:
        return 0
    made = notificaties_maken(
        users=user_ids,
        soort=SOORT_PUBLICATIE,
        titel=_("Gepubliceerd in %(werkgebied)s: %(titel)s")
        % {"werkgebied": werkgebied.naam, "titel": product.titel},
        url=product.get_absolute_url(),
    )
    return len(made)


# ----------------------------------------------------------------- following an area


class VolgGebiedError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def gebied_volgen(*, user, werkgebied=None, wijk=None) -> Gebiedvolging:
    if (werkgebied is None) == (wijk is None):
        raise VolgGebiedError(_("Kies een werkgebied of een wijk."))
    with transaction.atomic():
        bestaand = Gebiedvolging.objects.filter(user=user, werkgebied=werkgebied, wijk=wijk)
        if (volging := bestaand.first()) is not None:
            return volging
        try:
            with transaction.atomic():
                volging = Gebiedvolging.objects.create(user=user, werkgebied=werkgebied, wijk=wijk)
        except IntegrityError:
            return bestaand.get()
        audit_log(
            action="participation.gebied_gevolgd",
            actor=None,
            target=volging,
            data={"werkgebied": getattr(werkgebied, "pk", None), "wijk": getattr(wijk, "pk", None)},
        )
    return volging


def gebied_ontvolgen(*, user, volging_id: int) -> bool:
    with transaction.atomic():
        volging = Gebiedvolging.objects.select_for_update().filter(pk=volging_id, user=user).first()
        if volging is None:
            return False
        audit_log(
            action="participation.gebied_ontvolgd",
            actor=None,
            target=volging,
            data={"werkgebied": volging.werkgebied_id, "wijk": volging.wijk_id},
        )
        volging.delete()
    return True


# ------------------------------------------------------------------ "Mijn wijk" sections


def _page(qs, pagina):
    return Paginator(qs, SECTIE_GROOTTE).get_page(pagina)


def meldingen_sectie(request, pagina: str, csrf_token: str) -> str:
    page = _page(
        Melding.objects.filter(melder=request.user)
        .select_related("thema", "wijk")
        .only("code", "status", "ingediend_op", "termijn_op", "thema__naam", "wijk__naam")
        .order_by("-ingediend_op", "-pk"),
        pagina,
    )
    return render_to_string(
        "participation/_mijn_wijk_meldingen.html", {"page": page, "param": "meldingen-pagina"}
    )


def volgen_sectie(request, pagina: str, csrf_token: str) -> str:
    page = _page(
        Gebiedvolging.objects.filter(user=request.user)
        .select_related("werkgebied", "wijk")
        .order_by("-aangemaakt_op", "-pk"),
        pagina,
    )
    return render_to_string(
        "participation/_mijn_wijk_volgen.html",
        {
            "page": page,
            "param": "volgen-pagina",
            "csrf_token": csrf_token,
        },
    )


def initiatieven_sectie(request, pagina: str, csrf_token: str) -> str:
    page = _page(
        Volger.objects.filter(email__iexact=request.user.email, bevestigd_op__isnull=False)
        .select_related("initiatief__wijkprogramma__cyclus__werkgebied")
        .order_by("-bevestigd_op", "-pk"),
        pagina,
    )
    return render_to_string(
        "participation/_mijn_wijk_initiatieven.html",
        {"page": page, "param": "initiatieven-pagina"},
    )


def _eigen_reacties(user):
    """A resident's reactions: those written signed in, and those confirmed by e-mail
    without an account from the account's own address once the account has confirmed that
    address (then the address is proven theirs). Never the unconfirmed ones."""
    q = Q(auteur=user)
    # No settings row: RelatedObjectDoesNotExist is an AttributeError, so getattr's default.
    instellingen = getattr(user, "instellingen", None)
    bevestigd = instellingen is not None and instellingen.bevestigd_op is not None
    if bevestigd and user.email:
        q |= Q(auteur__isnull=True, email__iexact=user.email)
    return Reactie.objects.filter(q).exclude(status=Reactiestatus.WACHT)


def reacties_sectie(request, pagina: str, csrf_token: str) -> str:
    page = _page(
        _eigen_reacties(request.user)
        .select_related("consultatie__cyclus__werkgebied", "agendapunt", "initiatief")
        .order_by("-geplaatst_op", "-pk"),
        pagina,
    )
    return render_to_string(
        "participation/_mijn_wijk_reacties.html", {"page": page, "param": "reacties-pagina"}
    )


def steun_sectie(request, pagina: str, csrf_token: str) -> str:
    from .selectors_steun import van_bewoner

    page = _page(van_bewoner(request.user), pagina)
    return render_to_string(
        "participation/_mijn_wijk_steun.html",
        {"page": page, "param": "steun-pagina", "csrf_token": csrf_token},
    )


# ------------------------------------------------------------------------------- AVG


def gegevens(user) -> dict:
    return {
        "meldingen": list(
            Melding.objects.filter(Q(melder=user) | Q(email__iexact=user.email))
            .order_by("ingediend_op")
            .values(
                "code",
                "tekst",
                "status",
                "plek",
                "email",
                "ingediend_op",
                "antwoord",
                "melder_reactie",
                "wijk__naam",
                "thema__naam",
            )
        ),
        "gevolgde_gebieden": list(
            Gebiedvolging.objects.filter(user=user)
            .order_by("pk")
            .values("werkgebied__naam", "wijk__naam", "aangemaakt_op")
        ),
        "gevolgde_initiatieven": list(
            Volger.objects.filter(email__iexact=user.email)
            .order_by("pk")
            .values("initiatief__titel", "email", "bevestigd_op", "aangemaakt_op")
        ),
    }


def verwijderen(user) -> dict:
    """The meldingen stay, for the wijk, without anything that leads to the person: no
    account, no address. Follows go."""
    van_hen = Melding.objects.filter(Q(melder=user) | Q(email__iexact=user.email))
    meldingen = van_hen.update(melder=None, email="")
    volgers = Volger.objects.filter(email__iexact=user.email).delete()[0]
    gebieden = Gebiedvolging.objects.filter(user=user).delete()[0]
    return {"meldingen_geanonimiseerd": meldingen, "volgers": volgers, "gebieden": gebieden}


def gegevens_reacties_steun(user) -> dict:
    return {
        "reacties": list(
            _eigen_reacties(user)
            .order_by("geplaatst_op", "pk")
            .values(
                "tekst",
                "status",
                "email",
                "geplaatst_op",
                "antwoord",
                "wat_veranderd",
                "consultatie__soort",
                "consultatie__cyclus__jaar",
                "consultatie__cyclus__werkgebied__naam",
            )
        ),
        "steunbetuigingen": list(
            Steunbetuiging.objects.filter(user=user)
            .order_by("aangemaakt_op", "pk")
            .values("agendapunt__titel", "initiatief__titel", "aangemaakt_op")
        ),
    }


def verwijderen_reacties_steun(user) -> dict:
    """Supports go (the counts drop); placed reactions stay in the consultation and its nota
    van beantwoording without anything that leads to the person; unconfirmed ones go."""
    from .services_consultatie import VERWIJDERD

    van_hen = Reactie.objects.filter(Q(auteur=user) | Q(email__iexact=user.email))
    onbevestigd = van_hen.filter(status=Reactiestatus.WACHT).delete()[0]
    reacties = van_hen.update(auteur=None, email=VERWIJDERD)
    steun = Steunbetuiging.objects.filter(user=user).delete()[0]
    return {
        "reacties_geanonimiseerd": reacties,
        "reacties_onbevestigd_verwijderd": onbevestigd,
        "steunbetuigingen": steun,
    }
