"""The generated meldingen (participation/scale.py, a step of manage.py load_scale): what the
portal itself would have stored and logged, spread as the city is, the same for the same seed."""

import datetime
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEntry
from cycle import scale
from cycle.models import Werkcyclus
from participation import scale as melding_scale
from participation import services
from participation.models import (
    GESLOTEN_STATUSSEN,
    OPEN_STATUSSEN,
    Foto,
    Melding,
    Meldingstatus,
    Spoor,
    Steun,
)
from people.models import Rol, Roltoewijzing, User
from places import geo
from places.models import Werkgebied, Wijk

TODAY = datetime.date(2026, 11, 2)
CITY = {"seed": 11, "until_year": 2027, "today": TODAY}
SMALL = {"years": 2, "factor": 1, "werkgebieden": 3, **CITY}
CODE = re.compile(r"[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}")
BESTAND = re.compile(r"meldingen/(\d{4})/(\d{2})/[A-Za-z0-9_-]{22}\.(jpg|png|webp)")
ZIN = re.compile(r"[.?](?: |$)")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
GESLOTEN = {s.value for s in GESLOTEN_STATUSSEN}
OPEN = {s.value for s in OPEN_STATUSSEN}


def local(moment):
    return timezone.localtime(moment).date()


@pytest.fixture
def stad(rotterdam):
    """Two calendar years of meldingen in the wijken of three werkgebieden."""
    return scale.generate(**SMALL)


def _log() -> dict[int, list[AuditEntry]]:
    ct = ContentType.objects.get_for_model(Melding)
    entries = defaultdict(list)
    for entry in AuditEntry.objects.filter(content_type=ct).order_by("timestamp", "pk"):
        entries[int(entry.object_id)].append(entry)
    return entries


# ---------------------------------------------------------------------------- the counts


@pytest.mark.django_db
def test_about_two_hundred_thousand_meldingen_in_ten_years_at_factor_one(rotterdam):
    wijken = list(Wijk.objects.all())
    assert len(wijken) == 71

    def total(factor):
        ctx = scale.ScaleContext(
            seed=scale.DEFAULT_SEED,
            factor=factor,
            years=10,
            until_year=2027,
            today=TODAY,
            werkgebieden=[],
            alle_werkgebieden=[],
            gebieden=[],
            clusters=[],
        )
        jaren = melding_scale.kalenderjaren(ctx)
        assert jaren == list(range(2017, 2027))
        per_jaar = Counter()
        for wijk in wijken:
            for jaar in jaren:
                per_jaar[jaar] += melding_scale.aantal_meldingen(ctx, wijk, jaar)
        return per_jaar

    per_jaar = total(1)
    assert 180_000 <= sum(per_jaar.values()) <= 220_000
    # More recent years a bit more (the current one is not over yet).
    assert per_jaar[2017] < per_jaar[2021] < per_jaar[2025]
    assert 1.9 <= sum(total(2).values()) / sum(per_jaar.values()) <= 2.1


@pytest.mark.django_db
def test_counts_places_and_codes(stad):
    meldingen = list(Melding.objects.select_related("wijk", "thema"))
    assert len(meldingen) == stad.counts["participation.Melding"] > 1000
    for model in (Foto, Steun, Spoor):
        assert model.objects.count() == stad.counts[model._meta.label] > 0, model

    gebouwd = set(Werkgebied.objects.order_by("naam", "pk").values_list("pk", flat=True)[:3])
    per_wijk = Counter(m.wijk_id for m in meldingen)
    assert {w.werkgebied_id for w in Wijk.objects.filter(pk__in=per_wijk)} == gebouwd
    for wijk in Wijk.objects.filter(werkgebied__in=gebouwd):
        assert per_wijk[wijk.pk] > 0, wijk
    # Spread by inhabitants: the largest wijk has the most.
    grootste = Wijk.objects.filter(werkgebied__in=gebouwd).order_by("-inwoners").first()
    assert per_wijk.most_common(1)[0][0] == grootste.pk

    codes = [m.code for m in meldingen]
    assert len(set(codes)) == len(codes)
    assert all(CODE.fullmatch(code) for code in codes)

    limit = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(0)))
    thema_namen = Counter()
    punten = adressen = 0
    for m in meldingen:
        assert m.werkgebied_id == m.wijk.werkgebied_id
        assert local(m.ingediend_op).year in (2025, 2026) and m.ingediend_op < limit
        assert 1 <= len(ZIN.findall(m.tekst)) <= 6, m.tekst
        assert m.gewijzigd_op >= m.ingediend_op
        thema_namen[m.thema.naam] += 1
        if m.lengtegraad is not None:
            punten += 1
            lon, lat = float(m.lengtegraad), float(m.breedtegraad)
            # The point passes the form's own check: it lies in the chosen wijk.
            assert m.wijk in geo.wijken_bij_punt(lon, lat), m
            assert m.buurtcode == geo.buurt_bij_punt(lon, lat).code
        else:
            assert m.buurtcode == ""
        if m.contact_verwijderd_op is None and m.email:
            adressen += 1
            assert m.email.endswith(f"@{scale.SCALE_EMAIL_DOMAIN}")
    assert 0.25 <= punten / len(meldingen) <= 0.35
    bewaard = sum(1 for m in meldingen if m.contact_verwijderd_op is None)
    assert 0.33 <= adressen / bewaard <= 0.47
    assert len(thema_namen) == 10
    assert thema_namen.most_common(1)[0][0] == "schoon"


@pytest.mark.django_db
def test_photos_are_metadata_of_meldingen_that_keep_them(stad):
    fotos = list(Foto.objects.select_related("melding"))
    per_melding = Counter(f.melding_id for f in fotos)
    assert set(per_melding.values()) <= {1, 2, 3}
    bewaard = Melding.objects.filter(contact_verwijderd_op__isnull=True).count()
    assert 0.10 <= len(per_melding) / bewaard <= 0.20
    for foto in fotos:
        match = BESTAND.fullmatch(foto.bestand.name)
        assert match, foto.bestand.name
        ingediend = timezone.localtime(foto.melding.ingediend_op)
        assert (int(match[1]), int(match[2])) == (ingediend.year, ingediend.month)
        assert foto.content_type == CONTENT_TYPES[match[3]]
        assert max(foto.breedte, foto.hoogte) <= 2560 and foto.grootte > 10_000
        assert foto.aangemaakt_op == foto.melding.ingediend_op
        assert foto.melding.contact_verwijderd_op is None


# ------------------------------------------------------------------------ states by age


@pytest.mark.django_db
def test_states_follow_age_and_retention(stad):
    meldingen = {
        m.pk: m for m in Melding.objects.select_related("cyclus", "hoofdmelding", "werkgebied")
    }
    spoor = defaultdict(list)
    for s in Spoor.objects.filter(soort="cyclus"):
        spoor[s.melding_id].append(s)
    steun = Counter(Steun.objects.values_list("melding_id", flat=True))
    statussen = Counter()
    for m in meldingen.values():
        statussen[m.status] += 1
        leeftijd = (TODAY - local(m.ingediend_op)).days
        assert m.termijn_op > local(m.ingediend_op)
        assert steun[m.pk] == m.steun
        if m.status in GESLOTEN:
            assert m.afgesloten_op is not None and m.afgesloten_op > m.ingediend_op
            assert m.antwoord
        else:
            assert m.afgesloten_op is None
            assert leeftijd <= 200, m  # old ones are closed
        if m.status == Meldingstatus.DOORGEZET or m.cluster_id or m.partner_id:
            assert (m.cluster_id is None) != (m.partner_id is None), m
        if m.status == Meldingstatus.OPGENOMEN:
            assert m.cyclus.werkgebied_id == m.werkgebied_id
            assert [s.cyclus_id for s in spoor[m.pk]] == [m.cyclus_id]
        else:
            assert m.cyclus_id is None and not spoor[m.pk]
        # A year after closing the retention task has run: no address, no photos.
        if m.afgesloten_op and m.afgesloten_op < timezone.make_aware(
            datetime.datetime.combine(TODAY, datetime.time(0))
        ) - datetime.timedelta(days=367):
            assert m.contact_verwijderd_op is not None
        if m.contact_verwijderd_op is not None:
            assert m.status in GESLOTEN and m.email == ""
            assert m.contact_verwijderd_op >= m.afgesloten_op + datetime.timedelta(days=365)
        if m.hoofdmelding_id is not None:
            hoofd = m.hoofdmelding
            assert hoofd.werkgebied_id == m.werkgebied_id and hoofd.hoofdmelding_id is None
            assert hoofd.ingediend_op < m.ingediend_op and m.steun == 0
            if m.status in GESLOTEN and hoofd.afgesloten_op:
                # Closed with its main melding (which may have been reopened since).
                assert m.afgesloten_op <= hoofd.afgesloten_op
    assert set(statussen) == {s.value for s in Meldingstatus}
    recent = [m for m in meldingen.values() if (TODAY - local(m.ingediend_op)).days <= 14]
    assert sum(m.status in OPEN for m in recent) > 0.5 * len(recent)
    oud = [m for m in meldingen.values() if (TODAY - local(m.ingediend_op)).days > 200]
    assert all(m.status in GESLOTEN for m in oud) and len(oud) > 500
    assert sum(m.publiceerbaar for m in meldingen.values()) / len(meldingen) > 0.1
    assert sum(m.hoofdmelding_id is not None for m in meldingen.values()) > 10


def _held(assignments, entry, melding, cluster_id) -> bool:
    day = local(entry.timestamp)
    werkgebied = melding.werkgebied
    for a in assignments[entry.actor_id]:
        if (
            a.rol != entry.actor_rol
            or a.geldig_vanaf > day
            or (a.geldig_tot and a.geldig_tot < day)
        ):
            continue
        if a.rol == Rol.BEHEERDER:
            return True
        if a.rol == Rol.WIJKMANAGER and (
            a.werkgebied_id == werkgebied.pk or a.gebied_id == werkgebied.gebied_id
        ):
            return True
        if a.rol == Rol.ACCOUNTHOUDER and (
            a.gebied_id == werkgebied.gebied_id and a.cluster_id == cluster_id
        ):
            return True
    return False


@pytest.mark.django_db
def test_history_is_what_the_services_would_have_written(stad):
    """Replaying each melding's log gives its status, version, dates and support; every entry
    has the shape the services write, and whoever acted held a role that allows it."""
    assignments = defaultdict(list)
    for a in Roltoewijzing.objects.all():
        assignments[a.user_id].append(a)
    users = {u.pk: u for u in User.objects.all()}
    codes = dict(Melding.objects.values_list("pk", "code"))
    clusters = dict(Melding.objects.values_list("pk", "cluster_id"))
    log = _log()
    anders = AuditEntry.objects.exclude(content_type=ContentType.objects.get_for_model(Melding))
    assert sum(len(v) for v in log.values()) == stad.counts["audit.AuditEntry"] - anders.count()
    acties = Counter()
    for m in Melding.objects.select_related("thema", "wijk", "werkgebied"):
        entries = log[m.pk]
        eerste = entries[0]
        assert eerste.action == "participation.melding_ingediend"
        assert eerste.timestamp == m.ingediend_op and eerste.actor_id is None
        fotos = m.fotos.count()
        assert eerste.data == {
            "thema": m.thema.naam,
            "wijk": m.wijk.naam,
            "fotos": eerste.data["fotos"],
        }
        assert eerste.data["fotos"] == fotos or (m.contact_verwijderd_op and fotos == 0)
        status, versie, gewijzigd, afgesloten, steun = "nieuw", 1, m.ingediend_op, None, 0
        for entry in entries[1:]:
            actie = entry.action.removeprefix("participation.")
            acties[actie] += 1
            if entry.actor_id is not None:
                user = users[entry.actor_id]
                assert entry.actor_label == (user.naam or user.email)
                # A duplicate is closed by whoever closed its main melding.
                volgt = actie == "melding_gesloten_met_hoofdmelding"
                cluster_id = clusters[m.hoofdmelding_id] if volgt else m.cluster_id
                assert _held(assignments, entry, m, cluster_id), (m, entry)
            if actie == "melding_gesteund":
                assert status in OPEN and m.hoofdmelding_id is None and entry.actor_id is None
                steun += 1
                continue
            if actie == "contact_verwijderd":
                assert entry.timestamp == m.contact_verwijderd_op
                assert entry.data == {"fotos": eerste.data["fotos"], "email": entry.data["email"]}
                gewijzigd = entry.timestamp
                continue
            versie += 1
            if actie == "melding_initiatief":
                # participation/scale_volgen.py: linked to an initiative of its cycle.
                assert status == "opgenomen" and entry.data["naar"] == m.initiatief_id
                gewijzigd = max(gewijzigd, entry.timestamp)
                continue
            if actie in ("melding_publiceerbaar", "melding_dubbel", "melding_opgelost"):
                gewijzigd = entry.timestamp
                if actie == "melding_dubbel":
                    assert entry.data == {"hoofdmelding": codes[m.hoofdmelding_id]}
                elif actie == "melding_opgelost":
                    assert status == "afgehandeld" and entry.data == {"naar": status}
                    assert entry.timestamp <= afgesloten + datetime.timedelta(days=14)
                continue
            if actie == "melding_heropend":
                assert status == "afgehandeld"
                assert entry.timestamp <= afgesloten + datetime.timedelta(days=14)
                status, afgesloten, gewijzigd = "in_behandeling", None, entry.timestamp
                assert entry.data == {"naar": status}
                continue
            assert entry.data["van"] == status, (m, entry)
            status = entry.data["naar"]
            afgesloten = entry.timestamp if status in GESLOTEN else None
            if actie == "melding_gesloten_met_hoofdmelding":
                # An update: the version goes up, gewijzigd_op stays.
                assert entry.data["hoofdmelding"] == codes[m.hoofdmelding_id]
                continue
            gewijzigd = entry.timestamp
            expected = {"van", "naar"}
            if actie == "melding_doorzetten":
                expected.add("naar_wie")
            if actie == "melding_opnemen":
                expected.add("cyclus")
                cyclus = Werkcyclus.objects.select_related("werkgebied").get(pk=m.cyclus_id)
                assert entry.data["cyclus"] == str(cyclus)
            assert set(entry.data) == expected, entry.data
        assert (status, versie, gewijzigd, afgesloten, steun) == (
            m.status,
            m.versie,
            m.gewijzigd_op,
            m.afgesloten_op,
            m.steun,
        ), m
    for actie in (
        "melding_in_behandeling_nemen",
        "melding_doorzetten",
        "melding_opnemen",
        "melding_afhandelen",
        "melding_niet_in_behandeling_nemen",
        "melding_publiceerbaar",
        "melding_dubbel",
        "melding_gesloten_met_hoofdmelding",
        "melding_opgelost",
        "melding_heropend",
        "melding_gesteund",
        "contact_verwijderd",
    ):
        assert acties[actie] > 0, actie


@pytest.mark.django_db
def test_generated_meldingen_work_with_the_services(stad):
    """An open melding can be taken further by a wijkmanager of today: versions and states
    are what the services check."""
    melding = (
        Melding.objects.filter(status=Meldingstatus.IN_BEHANDELING, hoofdmelding__isnull=True)
        .select_related("werkgebied")
        .first()
    )
    wijkmanager = User.objects.get(email=scale.BENCH_EMAILS["wijkmanager"])
    if melding.werkgebied.slug != stad.werkgebied:
        wijkmanager = User.objects.filter(
            rollen__in=Roltoewijzing.objects.active().filter(
                rol=Rol.WIJKMANAGER, werkgebied=melding.werkgebied
            )
        ).first()
    done = services.melding_transition(
        melding_id=melding.pk,
        user=wijkmanager,
        transition="afhandelen",
        expected_versie=melding.versie,
        antwoord="Opgelost.",
    )
    assert done.status == Meldingstatus.AFGEHANDELD and done.versie == melding.versie + 1


# ------------------------------------------------------------------------- determinism


def _zonder_ids(entry) -> str:
    # The link to an initiative names it by id, and a new run gives the initiatives new ids.
    if entry.action == "participation.melding_initiatief":
        return entry.data["initiatief"]
    return str(entry.data)


def snapshot():
    codes = dict(Melding.objects.values_list("pk", "code"))
    result = {}
    for m in Melding.objects.select_related("wijk", "thema", "cyclus"):
        result[m.code] = (
            m.tekst,
            m.thema.slug,
            m.wijk.slug,
            m.plek,
            m.lengtegraad,
            m.breedtegraad,
            m.buurtcode,
            m.email,
            m.status,
            m.versie,
            m.ingediend_op,
            m.gewijzigd_op,
            m.afgesloten_op,
            m.contact_verwijderd_op,
            m.termijn_op,
            m.antwoord,
            codes.get(m.hoofdmelding_id),
            m.cyclus.jaar if m.cyclus else None,
            m.steun,
            sorted(m.fotos.values_list("bestand", "grootte")),
        )
    log = sorted(
        (codes[int(e.object_id)], e.action, e.timestamp, e.actor_label, _zonder_ids(e))
        for e in AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Melding))
    )
    return result, log


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_meldingen(rotterdam):
    small = {**SMALL, "werkgebieden": 2}
    first = scale.generate(**small)
    before = snapshot()
    assert len(before[0]) == first.counts["participation.Melding"]

    again = scale.generate(replace=True, **small)
    assert snapshot() == before
    # --replace took the earlier meldingen and their log away.
    assert Melding.objects.count() == again.counts["participation.Melding"]
    assert (
        len(before[1])
        == AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Melding)
        ).count()
    )

    scale.generate(replace=True, **{**small, "seed": CITY["seed"] + 1})
    other = snapshot()
    assert not set(other[0]) & set(before[0])
    assert [v[0] for v in other[0].values()] != [v[0] for v in before[0].values()]


def test_codes_follow_the_portals_format():
    import random

    used = set()
    rng = random.Random(1)
    codes = [melding_scale._code(rng, used) for _ in range(2000)]
    assert len(set(codes)) == 2000 and all(CODE.fullmatch(c) for c in codes)
    # A code already taken is never drawn again.
    rng = random.Random(1)
    assert melding_scale._code(rng, set(codes[:1])) == codes[1]
