"""Scoped roles: predicates, validity periods, database constraints, and the roles page that
explains the same rules it enforces."""

import datetime

import pytest
import rules
from django.db import IntegrityError, transaction
from django.utils import timezone

from cycle.models import Fase, Opsteller, Taakverdeling, Vaststelling
from people.models import Rol, Roltoewijzing
from people.permissions import capabilities
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

ADVANCE = "cycle.advance_werkcyclus"


@pytest.mark.django_db
def test_role_outside_validity_period_grants_nothing(werkgebied):
    today = timezone.localdate()
    expired = user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=today - datetime.timedelta(days=400),
        geldig_tot=today - datetime.timedelta(days=1),
    )
    future = user_with_role(
        Rol.WIJKMANAGER, werkgebied=werkgebied, geldig_vanaf=today + datetime.timedelta(days=1)
    )
    current = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied, geldig_tot=today)
    assert not rules.has_perm(ADVANCE, expired, werkgebied)
    assert not rules.has_perm(ADVANCE, future, werkgebied)
    assert rules.has_perm(ADVANCE, current, werkgebied)


@pytest.mark.django_db
def test_inactive_user_has_no_roles(werkgebied):
    user = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    user.is_active = False
    user.save()
    assert not user.has_perm(ADVANCE, werkgebied)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        {"rol": Rol.WIJKMANAGER},
        {"rol": Rol.WIJKRAADSLID},
        {"rol": Rol.ACCOUNTHOUDER},
        {"rol": Rol.RAAD, "cluster": "cluster"},
        {"rol": Rol.RAAD, "geldig_vanaf": "2026-02-01", "geldig_tot": "2026-01-01"},
    ],
)
def test_constraints(kwargs):
    if kwargs.get("cluster") == "cluster":
        kwargs["cluster"] = ClusterFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Roltoewijzing.objects.create(user=UserFactory(), **kwargs)


@pytest.mark.django_db
def test_role_lookups_are_cached_per_request(werkgebied, django_assert_num_queries):
    user = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    with django_assert_num_queries(1):
        for _ in range(10):
            assert user.has_perm(ADVANCE, werkgebied)
            assert user.has_perm("cycle.view_concept", werkgebied)


DRAFTS = {
    "cycle.draft_wijkanalyse",
    "cycle.draft_wijkagenda",
    "cycle.draft_wijkprogramma",
    "cycle.draft_wijkverslag",
}
RUNS = {
    "cycle.add_werkcyclus",
    "cycle.plan_werkcyclus",
    "cycle.advance_werkcyclus",
    *DRAFTS,
    "cycle.adopt_product",
    "cycle.publish_product",
    "cycle.correct_product",
    "cycle.view_concept",
    "cycle.view_adopted",
    "cycle.comment_concept",
    "cycle.view_checklist_answers",
    # The execution year and its report.
    "cycle.report_initiatieven",
    "cycle.raise_knelpunten",
    "cycle.resolve_knelpunten",
    "cycle.close_initiatieven",
    "cycle.view_wijkmt",
    # The wijk-MT's chair: the delegation, the meetings and their besluitenlijst.
    "cycle.manage_wijkmt",
    # Meldingen are triaged by whoever runs the cycle of the werkgebied.
    "participation.triage_melding",
    # The reactions on a consultation are answered (and hidden) by the same.
    "participation.beantwoord_reacties",
    # Meetings are planned by whoever runs the cycle (a wijkraadslid: the wijkraad's own).
    "participation.plan_bijeenkomsten",
    # The wijkakkoord: drafted, adopted and published by whoever runs the cycle.
    "cycle.draft_wijkakkoord",
    "cycle.adopt_wijkakkoord",
    # The participation plan, and asking and answering the wijkraad's advice.
    "participation.change_participatieplan",
    "participation.vraag_advies",
    "participation.beantwoord_advies",
}
# The wijkraad advises on the wijkakkoord, and gives its formal advice (asked and unasked).
ADVISES = "cycle.advise_wijkakkoord"
GEEF_ADVIES = "participation.geef_advies"
READS = {"cycle.view_concept", "cycle.view_adopted"}
# Those involved in the werkgebied follow the execution in the wijk-MT and flag knelpunten.
INVOLVED = {"cycle.raise_knelpunten", "cycle.view_wijkmt"}
STAD = "cycle.view_stadsoverzicht"
# The checklist of the wijkanalyse is answered by residents and the professionals of the
# werkgebied (a beheerder is neither).
CHECKLIST = "cycle.fill_checklist"
# The wijkbudget: a beheerder sets it; the werkgebied's wijkmanager books the knelpuntenbudget;
# the wijk-MT (and a beheerder) reads the ledger.
BUDGET_ZETTEN = "budgets.set_budget"
KNELPUNT_BOEKEN = "budgets.book_knelpunt"
GROOTBOEK = "budgets.view_grootboek"
CORRIGEREN = "budgets.correct_booking"
# Bewonersinitiatieven: residents apply, the wijkraad decides (by default), the wijkmanager pays.
BI_AANVRAGEN = "budgets.apply_bewonersinitiatief"
BI_BESLISSEN = "budgets.decide_bewonersinitiatief"
BI_BETALEN = "budgets.pay_bewonersinitiatief"


@pytest.mark.django_db
def test_capabilities_follow_the_rules(werkgebied):
    by_role = {code: {p.name for p in allowed} for code, _, allowed in capabilities(werkgebied)}
    assert by_role["wijkmanager"] == RUNS | {CHECKLIST, KNELPUNT_BOEKEN, GROOTBOEK, BI_BETALEN}
    assert by_role["beheerder"] == RUNS | {STAD, BUDGET_ZETTEN, GROOTBOEK, CORRIGEREN}
    assert by_role["wijkraadslid"] == READS | INVOLVED | {
        GROOTBOEK,
        "cycle.comment_concept",
        CHECKLIST,
        "cycle.judge_initiatieven",
        ADVISES,
        GEEF_ADVIES,
        "participation.plan_bijeenkomsten",
        BI_BESLISSEN,
    }
    assert by_role["accounthouder"] == READS | INVOLVED | {
        GROOTBOEK,
        CHECKLIST,
        "cycle.answer_beleidssignalen",
        "cycle.commit_initiatieven",
        "cycle.report_initiatieven",
    }
    assert by_role["raad"] == {"cycle.view_adopted", STAD}
    # Residents apply for bewonersinitiatieven and support the agendapunten and initiatives of
    # their own werkgebied.
    assert by_role["bewoner"] == {CHECKLIST, BI_AANVRAGEN, "participation.steun_geven"}


@pytest.mark.django_db
def test_task_division_per_werkgebied_changes_who_drafts_and_adopts(werkgebied):
    """Rotterdam practice: the wijkraad writes the wijkverslag; the college adopts and the
    wijkmanager records its decision. The roles page follows the same rules."""
    Taakverdeling.objects.create(
        werkgebied=werkgebied,
        wijkverslag_opsteller=Opsteller.WIJKRAAD,
        vaststelling=Vaststelling.COLLEGE,
    )
    werkgebied.refresh_from_db()
    by_role = {code: {p.name for p in allowed} for code, _, allowed in capabilities(werkgebied)}
    college = (RUNS - {"cycle.draft_wijkverslag", "cycle.adopt_product"}) | {
        "cycle.record_adoption"
    }
    assert by_role["wijkmanager"] == college | {CHECKLIST, KNELPUNT_BOEKEN, GROOTBOEK, BI_BETALEN}
    assert by_role["wijkraadslid"] == READS | INVOLVED | {
        GROOTBOEK,
        "cycle.draft_wijkverslag",
        "cycle.comment_concept",
        CHECKLIST,
        "cycle.judge_initiatieven",
        ADVISES,
        GEEF_ADVIES,
        "participation.plan_bijeenkomsten",
        BI_BESLISSEN,
    }
    assert by_role["beheerder"] == college | {
        "cycle.draft_wijkverslag",
        STAD,
        BUDGET_ZETTEN,
        GROOTBOEK,
        CORRIGEREN,
    }


@pytest.mark.django_db
def test_roles_page_shows_holders_and_powers(client, werkgebied, ander_werkgebied):
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied).naam
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied).naam
    elders = user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied).naam
    response = client.get(f"/werkgebieden/{werkgebied.slug}/rollen/")
    html = response.content.decode()
    assert manager in html and lid in html
    assert elders not in html
    rollen = {r["code"]: r for r in response.context["rollen"]}
    assert [p.label for p in rollen["wijkraadslid"]["mag"]] == [
        "concepten inzien voordat ze openbaar zijn",
        "een vastgesteld product lezen voordat het gepubliceerd is",
        "opmerkingen plaatsen bij concepten van de wijkanalyse en de wijkagenda",
        "de checklist ‘Wat is er aan de hand in de wijk?’ invullen tijdens de wijkanalyse",
        "een knelpunt bij een initiatief melden",
        "het overzicht van het wijk-MT inzien: alle initiatieven in uitvoering, wat te laat is "
        "en de open knelpunten",
        "per initiatief het oordeel van de wijkraad geven",
        "het advies van de wijkraad over het wijkakkoord vastleggen",
        "namens de wijkraad advies geven (gevraagd en ongevraagd)",
        "bijeenkomsten plannen en het verslag vastleggen (een wijkraadslid: de "
        "wijkraadvergaderingen)",
        "het grootboek van het wijkbudget inzien en als CSV downloaden",
        "over bewonersinitiatieven beslissen (met de zeven spelregels)",
    ]
    assert "de cyclus naar de volgende fase brengen" in [
        str(p.label) for p in rollen["wijkmanager"]["mag"]
    ]
    assert "@" not in html.split("<main", 1)[1]  # names only, no e-mail addresses


@pytest.mark.django_db
def test_mijn_werk_lists_own_cycles_only(client, werkgebied, ander_werkgebied, make_cycle):
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)
    make_cycle(ander_werkgebied, jaar=2027, fase=Fase.ANALYSE)
    client.force_login(manager)
    response = client.get("/mijn-werk/")
    [sectie] = response.context["secties"]
    assert [str(c) for c in sectie["cycli"]] == [f"{werkgebied.naam} 2027"]


@pytest.mark.django_db
def test_login_by_email_with_dutch_error(client, werkgebied):
    user = UserFactory(email="wendy@example.nl")
    response = client.post("/inloggen/", {"username": "wendy@example.nl", "password": "fout"})
    assert response.status_code == 200
    assert "Het e-mailadres of wachtwoord klopt niet" in response.content.decode()
    response = client.post(
        "/inloggen/", {"username": "Wendy@Example.nl".lower(), "password": "geheim-wachtwoord"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mijn-werk/"
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_beheerder_role_manages_roles_in_admin(client, werkgebied):
    """A beheerder without staff or superuser flags can assign roles in the admin."""
    beheerder = user_with_role(Rol.BEHEERDER)
    assert not beheerder.is_staff and not beheerder.is_superuser
    target = UserFactory()
    client.force_login(beheerder)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/people/roltoewijzing/").status_code == 200
    response = client.post(
        "/beheer/people/roltoewijzing/add/",
        {
            "user": target.pk,
            "rol": Rol.WIJKMANAGER,
            "werkgebied": werkgebied.pk,
            "geldig_vanaf": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert target.rollen.get().werkgebied == werkgebied
    assert client.get("/beheer/audit/auditentry/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rol", [Rol.WIJKMANAGER, Rol.WIJKRAADSLID, Rol.RAAD, Rol.BEWONER])
def test_other_roles_have_no_admin(client, werkgebied, rol):
    user = user_with_role(rol, werkgebied=werkgebied) if rol != Rol.RAAD else user_with_role(rol)
    client.force_login(user)
    response = client.get("/beheer/people/roltoewijzing/", follow=True)
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


@pytest.mark.django_db
def test_admin_uses_the_portal_login(client):
    response = client.get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/?next=/beheer/"
    beheerder = user_with_role(Rol.BEHEERDER)
    response = client.post(
        "/inloggen/?next=/beheer/",
        {"username": beheerder.email, "password": "geheim-wachtwoord", "next": "/beheer/"},
    )
    assert response["Location"] == "/beheer/"
    assert client.get("/beheer/").status_code == 200


@pytest.mark.django_db
def test_admin_rejects_inconsistent_role_with_message(client, werkgebied):
    client.force_login(user_with_role(Rol.BEHEERDER))
    response = client.post(
        "/beheer/people/roltoewijzing/add/",
        {"user": UserFactory().pk, "rol": Rol.WIJKMANAGER, "geldig_vanaf": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Een wijkmanager heeft een werkgebied of een gebied (niet allebei)" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_bewonersinitiatief_decider_follows_the_werkgebied_regeling(werkgebied):
    """Where the decision is delegated, the wijkmanager decides and the wijkraadslid no
    longer does; expired roles decide nothing."""
    from budgets.models_bi import Beslisser, Regeling

    wr = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    verlopen = user_with_role(
        Rol.WIJKRAADSLID,
        werkgebied=werkgebied,
        geldig_vanaf=datetime.date(2020, 1, 1),
        geldig_tot=datetime.date(2021, 1, 1),
    )
    assert rules.has_perm(BI_BESLISSEN, wr, werkgebied)
    assert not rules.has_perm(BI_BESLISSEN, wm, werkgebied)
    assert not rules.has_perm(BI_BESLISSEN, verlopen, werkgebied)
    Regeling.objects.create(werkgebied=werkgebied, beslisser=Beslisser.WIJKMANAGER)
    werkgebied.refresh_from_db()
    wr, wm = type(wr).objects.get(pk=wr.pk), type(wm).objects.get(pk=wm.pk)
    assert rules.has_perm(BI_BESLISSEN, wm, werkgebied)
    assert not rules.has_perm(BI_BESLISSEN, wr, werkgebied)
