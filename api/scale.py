"""The API keys of the generated city (a step of ``manage.py load_scale``): about 2,000 keys
(times the factor) for professionals, a quarter of them revoked, each made and revoked as
``api.services`` audits it. No professional holds more active keys than the
service allows. The keys themselves are random and thrown away: only their digest
is stored, as for a real key."""

import datetime

from django.contrib.contenttypes.models import ContentType

from cycle.scale import ScaleContext, _delete_audit_entries, register
from people.models import Rol

from .models import PREFIX_LENGTH, ApiSleutel, digest
from .services import MAX_ACTIEVE_SLEUTELS

SLEUTELS = 2000
INGETROKKEN_DEEL = 0.25
NAMEN = (
    "Voortgang uit het zaaksysteem",
    "Dashboard wijk-MT",
    "Koppeling meldingen",
    "Rapportage cluster",
    "Test",
)


def sleutels_clear(ctx: ScaleContext) -> None:
    _delete_audit_entries(content_types=[ContentType.objects.get_for_model(ApiSleutel).pk])
    ApiSleutel.objects.all().delete()


@register("api.sleutels", after=("cycle",), clear=sleutels_clear)
def sleutels(ctx: ScaleContext) -> None:
    rng = ctx.rng_for("api.sleutels")
    professionals = {}
    for rol, toewijzingen in ctx.roles.items():
        if rol == Rol.BEWONER:
            continue
        for toewijzing in toewijzingen:
            if toewijzing.active(ctx.today):
                professionals[toewijzing.user.pk] = (toewijzing.user, rol)
    if not professionals:
        return
    houders = [professionals[pk] for pk in sorted(professionals)]
    # Round after round a key for each professional, until there are enough or each holds
    # the most active keys the service allows (a small city has fewer than 2,000).
    doel = SLEUTELS * ctx.factor
    plannen = []
    actief = dict.fromkeys(professionals, 0)
    ronde = 0
    while len(plannen) < doel and any(n < MAX_ACTIEVE_SLEUTELS for n in actief.values()):
        ronde += 1
        for user, rol in houders:
            if len(plannen) >= doel:
                break
            if actief[user.pk] >= MAX_ACTIEVE_SLEUTELS:
                continue
            ingetrokken = rng.random() < INGETROKKEN_DEEL
            if not ingetrokken:
                actief[user.pk] += 1
            plannen.append((user, rol, ronde, ingetrokken))
    ids = ctx.reserve_ids(ApiSleutel, len(plannen))
    rows = []
    for index, (pk, (user, rol, ronde, ingetrokken)) in enumerate(zip(ids, plannen, strict=True)):
        key = f"{rng.getrandbits(256):064x}"
        gemaakt = ctx.moment(ctx.today - datetime.timedelta(days=rng.randint(61, 700)), rng)
        gebruikt = (
            gemaakt + datetime.timedelta(days=rng.randint(0, 30)) if rng.random() < 0.7 else None
        )
        ingetrokken = gemaakt + datetime.timedelta(days=rng.randint(1, 60)) if ingetrokken else None
        naam = f"{NAMEN[index % len(NAMEN)]} {ronde}"
        prefix = key[:PREFIX_LENGTH]
        rows.append((pk, user.pk, naam, prefix, digest(key), gemaakt, gebruikt, ingetrokken))
        data = {"sleutel": pk, "naam": naam, "prefix": prefix}
        ctx.audit.add(
            action="api.sleutel_gemaakt",
            actor=user,
            actor_rol=rol,
            target_model=ApiSleutel,
            object_id=pk,
            data=data,
            timestamp=gemaakt,
        )
        if ingetrokken is not None:
            ctx.audit.add(
                action="api.sleutel_ingetrokken",
                actor=user,
                actor_rol=rol,
                target_model=ApiSleutel,
                object_id=pk,
                data=data,
                timestamp=ingetrokken,
            )
    ctx.copy(
        ApiSleutel,
        [
            "id",
            "user",
            "naam",
            "prefix",
            "sleutel_hash",
            "aangemaakt",
            "laatst_gebruikt",
            "ingetrokken",
        ],
        rows,
    )
