"""The API keys of the generated city (a step of ``manage.py load_scale``): about 2,000 keys
(times the factor) for professionals, a quarter of them revoked, each made and revoked as
``api.services`` audits it. The keys themselves are random and thrown away: only their digest
is stored, as for a real key."""

import datetime

from django.contrib.contenttypes.models import ContentType

from cycle.scale import ScaleContext, _delete_audit_entries, register
from people.models import Rol

from .models import PREFIX_LENGTH, ApiSleutel, digest

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
    aantal = SLEUTELS * ctx.factor
    ids = ctx.reserve_ids(ApiSleutel, aantal)
    rows = []
    for index, pk in enumerate(ids):
        user, rol = houders[index % len(houders)]
        key = f"{rng.getrandbits(256):064x}"
        gemaakt = ctx.moment(ctx.today - datetime.timedelta(days=rng.randint(1, 700)), rng)
        gebruikt = (
            gemaakt + datetime.timedelta(days=rng.randint(0, 30)) if rng.random() < 0.7 else None
        )
        ingetrokken = (
            gemaakt + datetime.timedelta(days=rng.randint(1, 60))
            if rng.random() < INGETROKKEN_DEEL
            else None
        )
        naam = f"{NAMEN[index % len(NAMEN)]} {index // len(houders) + 1}"
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
