"""The "Mijn werk" section of the wijkakkoord: the akkoorden of a user's werkgebieden that are
not public yet — for the wijkmanager to draft, adopt and publish, for the wijkraadslid to give
advice on (registered on import, from ``CycleConfig.ready``). One query."""


def akkoord_sectie(user, assignments) -> str:
    from django.db.models import Q
    from django.template.loader import render_to_string

    from people.models import Rol

    from .models import Akkoordstatus, Wijkakkoord

    scope = Q()
    for a in assignments:
        if a.rol == Rol.WIJKMANAGER and a.werkgebied_id:
            scope |= Q(werkgebied_id=a.werkgebied_id)
        elif a.rol == Rol.WIJKMANAGER and a.gebied_id:
            scope |= Q(werkgebied__gebied_id=a.gebied_id)
        elif a.rol == Rol.WIJKRAADSLID and a.werkgebied_id:
            # The wijkraad sees an akkoord once it is asked for advice.
            scope |= Q(werkgebied_id=a.werkgebied_id) & ~Q(status=Akkoordstatus.CONCEPT)
    if not scope:
        return ""
    akkoorden = list(
        Wijkakkoord.objects.filter(scope)
        .exclude(status=Akkoordstatus.GEPUBLICEERD)
        .select_related("werkgebied")
        .only("pk", "startjaar", "eindjaar", "status", "werkgebied__naam", "werkgebied__slug")
        .order_by("werkgebied__naam", "startjaar")[:20]
    )
    if not akkoorden:
        return ""
    return render_to_string("cycle/akkoord/_mijn_werk.html", {"akkoorden": akkoorden})


def _register():
    from .mijn_werk import register_sectie

    register_sectie(akkoord_sectie)


_register()
