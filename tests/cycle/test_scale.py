"""The generated city (cycle/scale.py, manage.py load_scale): what it makes is what the portal
itself would have made, the same seed makes the same city, and it refuses where it must."""

import datetime
import io
import json
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_log
from cycle import scale, services
from cycle.models import (
    FASE_VOLGORDE,
    PRODUCT_MODELLEN,
    PRODUCT_PER_SOORT,
    WERKFASEN,
    Fase,
    Opsteller,
    Productstatus,
    Taakverdeling,
    Vaststelling,
    Werkcyclus,
    delft_kalender,
)
from notices.models import Notice
from people.models import Cluster, Rol, Roltoewijzing, User
from places.models import Gebied, Werkgebied
from tests.people.factories import UserFactory
from tests.scale import INHOUD_ACTIES, NAAST_DE_VERSIE, OWNER_ACTIES, cycle_steps, product_log
from tests.test_project import PRODUCTION_ENV, run_manage

TODAY = datetime.date(2026, 11, 2)
CITY = {"seed": 11, "until_year": 2027, "today": TODAY}
# The cycles' own steps make no corrections (the publication step reopens a few products).
STATUSSEN = [s for s in Productstatus if s != Productstatus.CORRECTIE]
STATUS_INDEX = {status: i for i, status in enumerate(STATUSSEN)}
DOMAIN = f"@{scale.SCALE_EMAIL_DOMAIN}"


def local(moment):
    return timezone.localtime(moment).date()


def scale_users():
    return User.objects.filter(email__endswith=DOMAIN)


@pytest.fixture
def city(rotterdam):
    """Three programme years of the whole city at factor 1."""
    return scale.generate(steps=cycle_steps(), years=3, factor=1, **CITY)


# ----------------------------------------------------------------------------- the city


@pytest.mark.django_db
def test_one_cycle_per_werkgebied_and_year_in_every_phase_and_status(city):
    assert Werkcyclus.objects.count() == 39 * 3
    assert city.jaren == [2025, 2026, 2027]
    for model in PRODUCT_MODELLEN:
        assert model.objects.count() == 39 * 3
    for label, count in city.counts.items():
        # Many-to-many tables too (the quotes of a theme…), which have no content type.
        assert apps.get_model(label).objects.count() == count, label

    fasen = defaultdict(set)
    for jaar, fase in Werkcyclus.objects.values_list("jaar", "fase"):
        fasen[jaar].add(fase)
    # The newest year is being prepared, this year's is carried out, last year's is closed
    # (a few are overdue with their report).
    assert fasen[2027] == {Fase.ANALYSE, Fase.AGENDA, Fase.PROGRAMMA}
    assert fasen[2026] == {Fase.UITVOERING, Fase.VERANTWOORDING}
    assert fasen[2025] == {Fase.AFGEROND, Fase.VERANTWOORDING}
    statussen = set()
    for model in PRODUCT_MODELLEN:
        statussen |= set(model.objects.values_list("status", flat=True))
    assert statussen == set(STATUSSEN)
    # Every product status occurs with every working phase that can have it.
    huidig = Counter()
    for cyclus in Werkcyclus.objects.select_related(*[m.related_name() for m in PRODUCT_MODELLEN]):
        if not cyclus.is_afgerond:
            huidig[(cyclus.fase, cyclus.huidig_product().status)] += 1
    for fase in (Fase.ANALYSE, Fase.AGENDA, Fase.PROGRAMMA):
        for status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE, Productstatus.VASTGESTELD):
            assert huidig[(fase, status)] >= 1, (fase, status)


@pytest.mark.django_db
def test_dates_and_versions_follow_the_phase(city):
    for cyclus in Werkcyclus.objects.select_related("werkgebied"):
        kalender = delft_kalender(cyclus.jaar)
        for fase in WERKFASEN:
            assert cyclus.planning(fase) == (kalender[f"{fase}_begin"], kalender[f"{fase}_eind"])
        huidig = FASE_VOLGORDE[cyclus.fase]
        vorige_eind = None
        for index, fase in enumerate(WERKFASEN):
            gestart, afgerond = cyclus.werkelijk(fase)
            if index < huidig:
                assert gestart and afgerond and gestart <= afgerond <= TODAY, (cyclus, fase)
            elif index == huidig:
                assert gestart and gestart <= TODAY and afgerond is None, (cyclus, fase)
            else:
                assert gestart is None and afgerond is None, (cyclus, fase)
            if gestart and vorige_eind:
                assert gestart == vorige_eind  # one step ends a phase and starts the next
            vorige_eind = afgerond
        assert cyclus.analyse_gestart == local(cyclus.aangemaakt_op)
        assert cyclus.versie == 1 + huidig  # one version per step taken


@pytest.mark.django_db
def test_products_have_text_and_dates_consistent_with_their_status(city):
    for model in PRODUCT_MODELLEN:
        for product in model.objects.select_related("cyclus__werkgebied"):
            cyclus = product.cyclus
            index = STATUS_INDEX[product.status]
            standaard = (
                f"{model._meta.verbose_name.capitalize()} {cyclus.werkgebied.naam} {cyclus.jaar}"
            )
            teksten = [getattr(product, sectie) for sectie in model.SECTIES]
            if FASE_VOLGORDE[model.WERKFASEN[0]] > FASE_VOLGORDE[cyclus.fase]:
                # Not reached yet: as the service created it.
                assert product.status == Productstatus.CONCEPT
                assert product.versie == 1 and product.titel == standaard
                assert not any(teksten)
                continue
            if cyclus.is_afgerond:
                assert product.status == Productstatus.GEPUBLICEERD
            assert product.titel.startswith(standaard)
            assert product.versie > 1
            assert all(t == "" or 300 <= len(t) <= 3000 for t in teksten), product
            assert any(teksten)
            if index >= STATUS_INDEX[Productstatus.CONSULTATIE]:
                assert not product.ontbreekt(), product
            assert (product.vastgesteld_op is not None) == (
                index >= STATUS_INDEX[Productstatus.VASTGESTELD]
            )
            assert (product.gepubliceerd_op is not None) == (
                product.status == Productstatus.GEPUBLICEERD
            )
            if product.gepubliceerd_op:
                assert product.vastgesteld_op < product.gepubliceerd_op
                assert local(product.gepubliceerd_op) <= TODAY


def _held(assignments, user_id, rol, werkgebied, day) -> bool:
    for a in assignments[user_id]:
        if a.rol != rol or a.geldig_vanaf > day or (a.geldig_tot and a.geldig_tot < day):
            continue
        if rol in (Rol.BEHEERDER, Rol.RAAD):
            return True
        if a.werkgebied_id == werkgebied.pk or a.gebied_id == werkgebied.gebied_id:
            return True
    return False


@pytest.mark.django_db
def test_history_is_what_the_services_would_have_written(city):
    """Replaying the log of every cycle and product gives its phase, status, version and
    dates; every entry has the shape the services write and an actor who held the role."""
    assignments = defaultdict(list)
    for a in Roltoewijzing.objects.all():
        assignments[a.user_id].append(a)
    users = {u.pk: u for u in User.objects.all()}
    taken = {t.werkgebied_id: t for t in Taakverdeling.objects.all()}

    def check_actor(entry, werkgebied):
        user = users[entry.actor_id]
        assert entry.actor_label == (user.naam or user.email)
        assert entry.actor_naam == user.naam
        assert _held(assignments, user.pk, entry.actor_rol, werkgebied, local(entry.timestamp))

    def log(obj):
        return list(AuditEntry.objects.for_objects(obj).order_by("timestamp", "pk"))

    edits = Counter()
    for cyclus in Werkcyclus.objects.select_related("werkgebied"):
        entries = log(cyclus)
        assert entries[0].action == "cycle.created" and entries[0].data == {"jaar": cyclus.jaar}
        fase = Fase.ANALYSE
        for entry in entries[1:]:
            check_actor(entry, cyclus.werkgebied)
            assert entry.action == "cycle.transition"
            assert set(entry.data) == {"overgang", "van", "naar", "reden"}
            assert entry.data["van"] == fase
            fase = entry.data["naar"]
            assert getattr(cyclus, f"{entry.data['van']}_afgerond") == local(entry.timestamp)
            vroeg = local(entry.timestamp) <= datetime.date(cyclus.jaar, 12, 31)
            # Leaving uitvoering before the year is over needs a reason, and only that does.
            assert bool(entry.data["reden"]) == (
                entry.data["overgang"] == "naar_verantwoording" and vroeg
            )
        check_actor(entries[0], cyclus.werkgebied)
        assert fase == cyclus.fase

        for model in PRODUCT_MODELLEN:
            product = model.objects.get(cyclus=cyclus)
            status, versie = Productstatus.CONCEPT, 1
            college = (
                getattr(taken.get(cyclus.werkgebied_id), "vaststelling", "") == Vaststelling.COLLEGE
            )
            for entry in product_log(product):
                if entry.action in NAAST_DE_VERSIE:
                    continue  # checked with the content (test_scale_inhoud.py)
                check_actor(entry, cyclus.werkgebied)
                if entry.action in INHOUD_ACTIES:
                    # Through the edit guard, while the product was still being drafted.
                    assert status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE)
                    versie += 1
                    assert set(entry.data) == {"product", "versie", *INHOUD_ACTIES[entry.action]}
                    assert entry.data["product"] == model.SOORT
                    assert entry.data["versie"] == versie
                    edits[product.status] += 1
                    continue
                if entry.action in OWNER_ACTIES:
                    # The owner of an initiative answered: the programme's check changed.
                    assert status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE)
                    versie += 1
                    assert set(entry.data) == OWNER_ACTIES[entry.action]
                    continue
                if entry.action == "cycle.product_edit":
                    assert status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE)
                    versie += 1
                    assert entry.data == {
                        "product": model.SOORT,
                        "velden": entry.data["velden"],
                        "versie": versie,
                    }
                    assert set(entry.data["velden"]) <= {"titel", *model.SECTIES}
                    edits[product.status] += 1
                    continue
                assert entry.action == "cycle.product_transition"
                assert entry.data["product"] == model.SOORT and entry.data["van"] == status
                status = entry.data["naar"]
                versie += 1  # a step raises the version too
                keys = {"product", "overgang", "van", "naar", "reden"}
                if status == Productstatus.VASTGESTELD:
                    assert entry.timestamp == product.vastgesteld_op
                    if college:
                        keys.add("besluit")
                        assert entry.data["besluit"] == product.besluitreferentie != ""
                if status == Productstatus.GEPUBLICEERD:
                    assert entry.timestamp == product.gepubliceerd_op
                assert set(entry.data) == keys
            assert (status, versie) == (product.status, product.versie), product
    # About 30–100 edits per adopted product at factor 1 (so ~100,000 entries in ten years).
    adopted = sum(
        model.objects.filter(
            status__in=[Productstatus.VASTGESTELD, Productstatus.GEPUBLICEERD]
        ).count()
        for model in PRODUCT_MODELLEN
    )
    per_product = (edits[Productstatus.VASTGESTELD] + edits[Productstatus.GEPUBLICEERD]) / adopted
    assert 30 <= per_product <= 100


@pytest.mark.django_db
def test_notices_went_to_who_the_portal_tells(city):
    """Each publication mailed the wijkraad, the wijkmanagers and the council as they were
    that day, each once, never the one who published; each step the wijkmanagers and the
    wijkraad. Almost all are sent; none waits for a sweep."""
    assignments = defaultdict(list)
    for a in Roltoewijzing.objects.all():
        assignments[a.user_id].append(a)
    # Who could hear about a werkgebied at all: its own roles, its gebied's, the council.
    nabij = defaultdict(set)
    for werkgebied in Werkgebied.objects.all():
        for uid, rollen in assignments.items():
            if any(
                a.werkgebied_id == werkgebied.pk
                or a.gebied_id == werkgebied.gebied_id
                or a.rol == Rol.RAAD
                for a in rollen
            ):
                nabij[werkgebied.pk].add(uid)
    recipients, created = defaultdict(set), defaultdict(set)
    for entry_id, email, user_id, status, created_at in Notice.objects.values_list(
        "audit_entry_id", "recipient", "user_id", "status", "created_at"
    ):
        recipients[entry_id].add((email, user_id))
        created[entry_id].add(created_at)
        assert status in (Notice.Status.SENT, Notice.Status.FAILED)
    statussen = Counter(Notice.objects.values_list("status", flat=True))
    assert statussen[Notice.Status.SENT] > 0.98 * Notice.objects.count()

    stappen = AuditEntry.objects.filter(
        action__in=["cycle.transition", "cycle.product_transition"]
    ).exclude(action="cycle.product_transition", data__naar__in=["consultatie", "vastgesteld"])
    werkgebied_van = {
        (ContentType.objects.get_for_model(Werkcyclus).pk, str(c.pk)): c.werkgebied
        for c in Werkcyclus.objects.select_related("werkgebied")
    }
    for model in PRODUCT_MODELLEN:
        ct = ContentType.objects.get_for_model(model).pk
        for p in model.objects.select_related("cyclus__werkgebied"):
            werkgebied_van[(ct, str(p.pk))] = p.cyclus.werkgebied
    users = {u.pk: u for u in User.objects.all()}
    assert stappen.count() > 0
    for entry in stappen:
        werkgebied = werkgebied_van[(entry.content_type_id, entry.object_id)]
        day = local(entry.timestamp)
        rollen = [Rol.WIJKMANAGER, Rol.WIJKRAADSLID]
        if entry.action == "cycle.product_transition":
            rollen.append(Rol.RAAD)
        expected = {
            (users[uid].email, uid)
            for uid in nabij[werkgebied.pk]
            if uid != entry.actor_id
            and any(_held(assignments, uid, rol, werkgebied, day) for rol in rollen)
        }
        assert recipients[entry.pk] == expected, entry
        assert created[entry.pk] <= {entry.timestamp}  # written with the step
    assert Notice.objects.filter(audit_entry__in=stappen).count() == Notice.objects.count()


@pytest.mark.django_db
def test_accounts_for_every_role_without_usable_passwords(city):
    users = scale_users()
    emails = list(users.values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == User.objects.count() == city.counts["people.User"]
    assert all(email == email.lower() for email in emails)
    assert not any(user.has_usable_password() for user in users)

    actief = Roltoewijzing.objects.active(TODAY)
    for werkgebied in Werkgebied.objects.all():
        eigen = actief.filter(werkgebied=werkgebied)
        assert 1 <= eigen.filter(rol=Rol.WIJKMANAGER).count() <= 3  # with a benchmark account
        assert 7 <= eigen.filter(rol=Rol.WIJKRAADSLID).count() <= 10
        assert eigen.filter(rol=Rol.BEWONER).count() >= 1
    clusters = Cluster.objects.count()
    for gebied in Gebied.objects.all():
        per_cluster = Counter(
            actief.filter(rol=Rol.ACCOUNTHOUDER, gebied=gebied).values_list("cluster", flat=True)
        )
        assert len(per_cluster) == clusters
    assert actief.filter(rol=Rol.RAAD).count() == 46
    assert actief.filter(rol=Rol.BEHEERDER).count() == 4
    # Some have left: their roles have ended.
    assert Roltoewijzing.objects.filter(geldig_tot__lt=TODAY).exists()

    bench = city.accounts
    assert set(bench) == set(scale.BENCH_EMAILS) and bench == scale.BENCH_EMAILS
    werkgebied = Werkgebied.objects.get(slug=city.werkgebied)
    rol_van = {
        a.user.email: a
        for a in Roltoewijzing.objects.filter(user__email__in=bench.values()).select_related("user")
    }
    assert rol_van[bench["wijkmanager"]].werkgebied == werkgebied
    assert rol_van[bench["wijkraadslid"]].werkgebied == werkgebied
    assert rol_van[bench["accounthouder"]].gebied_id == werkgebied.gebied_id
    assert rol_van[bench["raad"]].rol == Rol.RAAD


@pytest.mark.django_db
def test_only_the_benchmark_accounts_get_a_password_when_asked(rotterdam):
    scale.generate(
        steps=cycle_steps(),
        years=1,
        factor=1,
        werkgebieden=2,
        bench_password="bench-geheim",
        **CITY,
    )
    usable = {u.email for u in scale_users() if u.has_usable_password()}
    assert usable == set(scale.BENCH_EMAILS.values())
    assert User.objects.get(email=scale.BENCH_EMAILS["raad"]).check_password("bench-geheim")


@pytest.mark.django_db
def test_generated_city_works_with_the_services(city):
    """A running cycle from the generator can be taken further by the services: its version,
    states and roles are consistent with what they check."""
    cyclus = (
        Werkcyclus.objects.filter(fase=Fase.ANALYSE, wijkanalyse__status=Productstatus.CONSULTATIE)
        .select_related("werkgebied")
        .first()
    )
    wijkmanager = User.objects.get(
        rollen__in=Roltoewijzing.objects.active().filter(
            rol=Rol.WIJKMANAGER, werkgebied=cyclus.werkgebied
        )[:1]
    )
    analyse = cyclus.wijkanalyse
    analyse = services.product_update(
        product=analyse,
        user=wijkmanager,
        expected_versie=analyse.versie,
        data={"conclusies": analyse.conclusies + " Aangevuld na de consultatie."},
    )
    analyse = services.product_transition(
        product=analyse,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONSULTATIE,
        besluitreferentie="B&W 2026/0001",
    )
    cyclus = services.werkcyclus_transition(
        cyclus_id=cyclus.pk, user=wijkmanager, transition="naar_agenda", expected_fase="analyse"
    )
    assert cyclus.fase == Fase.AGENDA and cyclus.versie == 2


# ------------------------------------------------------------------------- determinism


def snapshot():
    """What a reader sees of the cycles: titles, states, dates and texts."""
    result = {}
    for cyclus in Werkcyclus.objects.select_related("werkgebied"):
        key = (cyclus.werkgebied.slug, cyclus.jaar)
        result[key] = {
            "fase": cyclus.fase,
            "data": [cyclus.werkelijk(fase) for fase in WERKFASEN],
            "aangemaakt_op": cyclus.aangemaakt_op,
        }
        for model in PRODUCT_MODELLEN:
            p = model.objects.get(cyclus=cyclus)
            result[key][model.SOORT] = [
                p.titel,
                p.status,
                p.vastgesteld_op,
                p.gepubliceerd_op,
                *[getattr(p, s) for s in model.SECTIES],
            ]
    return result


def titels(city):
    return {key: [cyclus[m.SOORT][0] for m in PRODUCT_MODELLEN] for key, cyclus in city.items()}


def _met_factor():
    """The audit entries of the history that the factor multiplies: not the wijk-MT's monthly
    meetings nor the wijkakkoorden, whose number the years and werkgebieden set."""
    from django.db.models import Q

    return AuditEntry.objects.exclude(
        Q(
            action__in=[
                "cycle.wijkmt_delegatie",
                "cycle.overleg_toegevoegd",
                "cycle.besluit_toegevoegd",
            ]
        )
        | Q(action__startswith="cycle.wijkakkoord_")
        | Q(action="cycle.wijkopgave_toegevoegd")
    )


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_city(rotterdam):
    small = {"years": 2, "werkgebieden": 5, **CITY}
    scale.generate(steps=cycle_steps(), factor=1, **small)
    first = snapshot()
    versies = sorted(PRODUCT_PER_SOORT["wijkanalyse"].objects.values_list("versie", flat=True))
    log = AuditEntry.objects.count()
    groeit = _met_factor().count()

    scale.generate(steps=cycle_steps(), factor=1, replace=True, **small)
    assert snapshot() == first
    assert sorted(PRODUCT_PER_SOORT["wijkanalyse"].objects.values_list("versie", flat=True)) == (
        versies
    )
    assert AuditEntry.objects.count() == log

    # A larger factor grows the history, not the cycles: titles, states, dates and texts stay.
    scale.generate(steps=cycle_steps(), factor=3, replace=True, **small)
    assert snapshot() == first
    assert AuditEntry.objects.count() > log
    assert _met_factor().count() > 2 * groeit

    scale.generate(
        steps=cycle_steps(), factor=1, replace=True, **{**small, "seed": CITY["seed"] + 1}
    )
    other = snapshot()
    assert other.keys() == first.keys()
    assert titels(other) != titels(first)
    assert [c["aangemaakt_op"] for c in other.values()] != [
        c["aangemaakt_op"] for c in first.values()
    ]


# ---------------------------------------------------------------------------- command


def load_scale(*args) -> list[str]:
    out = io.StringIO()
    call_command("load_scale", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_command_ends_with_the_benchmark_accounts_and_a_busy_cycle(rotterdam):
    lines = load_scale("--years", "2", "--werkgebieden", "3", "--until-year", "2027")
    bench = json.loads(lines[-1])
    assert set(bench) == {
        "wijkmanager",
        "wijkraadslid",
        "accounthouder",
        "raad",
        "bewoner",
        "werkgebied",
        "jaar",
    }
    werkgebied = Werkgebied.objects.get(slug=bench["werkgebied"])
    cyclus = Werkcyclus.objects.get(werkgebied=werkgebied, jaar=bench["jaar"])
    assert cyclus.fase != Fase.AFGEROND
    assert any(p.status == Productstatus.GEPUBLICEERD for p in cyclus.producten())
    assert AuditEntry.objects.for_objects(cyclus, *cyclus.producten()).count() > 50
    actief = Roltoewijzing.objects.active()
    assert actief.filter(
        user__email=bench["wijkmanager"], rol=Rol.WIJKMANAGER, werkgebied=werkgebied
    ).exists()
    assert actief.filter(
        user__email=bench["accounthouder"], rol=Rol.ACCOUNTHOUDER, gebied=werkgebied.gebied
    ).exists()
    assert actief.filter(user__email=bench["raad"], rol=Rol.RAAD).exists()
    assert actief.filter(
        user__email=bench["bewoner"], rol=Rol.BEWONER, werkgebied=werkgebied
    ).exists()
    assert Werkcyclus.objects.count() == 3 * 2


@pytest.mark.django_db
def test_command_refuses_without_places(db):
    with pytest.raises(CommandError, match="import_rotterdam"):
        load_scale("--years", "1")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_command_refuses_when_scale_data_or_cycles_exist(rotterdam, make_cycle):
    load_scale("--years", "1", "--werkgebieden", "2")
    users = User.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        load_scale("--years", "1", "--werkgebieden", "2")
    assert User.objects.count() == users

    from cycle.scale_programma import programma_clear
    from participation.scale import meldingen_clear

    meldingen_clear(None)  # the generated meldingen point at the cycles
    programma_clear(None)  # and an initiative protects its agendapunt
    scale_users().delete()
    Werkcyclus.objects.all().delete()
    make_cycle(Werkgebied.objects.get(slug="crooswijk"), jaar=2027)
    with pytest.raises(CommandError, match="werkcycli"):
        load_scale("--years", "1", "--werkgebieden", "2")


@pytest.mark.django_db
def test_replace_takes_away_only_what_it_made(rotterdam, beheerder):
    """--replace removes every cycle with its products, log and notices, and the generated
    accounts; other accounts, other log entries and task divisions set by hand stay."""
    buurman = UserFactory(email="buurman@example.nl")
    audit_log(action="people.user_created", actor=beheerder, target=buurman, data={})
    feijenoord = Werkgebied.objects.get(slug="feijenoord")
    Taakverdeling.objects.create(werkgebied=feijenoord, wijkverslag_opsteller=Opsteller.WIJKRAAD)
    anderen = AuditEntry.objects.count()

    scale.generate(steps=cycle_steps(), years=2, factor=2, **CITY)
    nieuw = scale.generate(
        steps=cycle_steps(), years=1, factor=1, werkgebieden=3, replace=True, **CITY
    )

    assert scale_users().count() == nieuw.counts["people.User"]
    assert User.objects.filter(pk__in=[buurman.pk, beheerder.pk]).count() == 2
    assert Werkcyclus.objects.count() == nieuw.counts["cycle.Werkcyclus"] == 3
    assert AuditEntry.objects.count() == anderen + nieuw.counts["audit.AuditEntry"]
    assert Notice.objects.count() == nieuw.counts["notices.Notice"]
    assert Taakverdeling.objects.filter(werkgebied=feijenoord).exists()
    assert Taakverdeling.objects.count() == 1 + nieuw.counts.get("cycle.Taakverdeling", 0)


@pytest.mark.django_db
def test_command_refuses_where_scale_data_is_not_allowed(rotterdam, settings):
    settings.SCALE_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="SCALE_DATA_ALLOWED"):
        load_scale("--years", "1")
    assert not User.objects.exists() and not Werkcyclus.objects.exists()


def test_scale_data_is_off_in_production_unless_the_benchmark_turns_it_on():
    refused = run_manage("load_scale", "--years", "1", env=PRODUCTION_ENV)
    assert refused.returncode != 0
    assert "SCALE_DATA_ALLOWED" in refused.stderr
    show = (
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SCALE_DATA_ALLOWED)",
    )
    assert run_manage(*show, env=PRODUCTION_ENV).stdout.strip() == "False"
    benchmark = {**PRODUCTION_ENV, "WIJKAANPAK_ALLOW_SCALE_DATA": "1"}
    assert run_manage(*show, env=benchmark).stdout.strip() == "True"


# --------------------------------------------------------------------------- registry


def _step(name):
    def fn(ctx):
        pass

    fn.__qualname__ = name
    return fn


def test_steps_run_after_what_they_need_in_registration_order():
    steps = scale.Registry()
    steps.register("c", after=("a",))(_step("c"))
    steps.register("a")(_step("a"))
    steps.register("b")(_step("b"))
    steps.register("d", after=("c", "b"))(_step("d"))
    assert [s.name for s in steps.ordered()] == ["a", "c", "b", "d"]


def test_registry_refuses_unknown_or_circular_dependencies_and_clashing_names():
    steps = scale.Registry()
    steps.register("a", after=("weg",))(_step("a"))
    with pytest.raises(ImproperlyConfigured, match="weg"):
        steps.ordered()
    steps = scale.Registry()
    steps.register("a", after=("b",))(_step("a"))
    steps.register("b", after=("a",))(_step("b"))
    with pytest.raises(ImproperlyConfigured, match="circle"):
        steps.ordered()
    with pytest.raises(ImproperlyConfigured, match="already"):
        steps.register("a")(_step("iets anders"))


@pytest.mark.django_db
def test_a_later_feature_extends_the_city_with_its_own_step(rotterdam, monkeypatch):
    """A step registered by another app runs after the cycles, sees them, has its own seeded
    stream and writes through the same bulk writers; generate() discovers the apps' scale
    modules."""
    discovered = []
    monkeypatch.setattr(scale, "autodiscover_modules", discovered.append)
    seen = {}

    def meldingen(ctx):
        seen["cycli"] = len(ctx.cycli)
        seen["random"] = ctx.rng.random()
        seen["expected"] = ctx.rng_for("step", "tests.voorbeeld").random()
        cyclus = ctx.cycli[0]
        ctx.audit.add(
            action="participation.melding",
            actor=ctx.users[Rol.BEWONER][0],
            actor_rol=Rol.BEWONER.value,
            target_model=Werkcyclus,
            object_id=cyclus.pk,
            data={"tekst": "Losse stoeptegel"},
            timestamp=ctx.moment(ctx.today, ctx.rng),
        )

    steps = scale.registry.copy()
    steps.register("tests.voorbeeld", after=("cycle",))(meldingen)
    summary = scale.generate(years=1, factor=1, werkgebieden=2, steps=steps, **CITY)
    assert seen["cycli"] == 2 and seen["random"] == seen["expected"]
    assert AuditEntry.objects.filter(action="participation.melding").count() == 1
    assert summary.counts["audit.AuditEntry"] == AuditEntry.objects.count()
    assert "tests.voorbeeld" not in [s.name for s in scale.registry.ordered()]
    assert discovered == []  # an explicit set of steps is used as it is

    scale.generate(years=1, factor=1, werkgebieden=2, replace=True, **CITY)
    assert discovered == ["scale"]
