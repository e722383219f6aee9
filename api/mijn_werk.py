"""The link to "API-sleutels" on "Mijn werk", for who may make or still holds keys (a section
registered with ``cycle.mijn_werk``: the cycle app's page knows nothing of the API)."""

from django.template.loader import render_to_string


def sleutels_sectie(user, assignments) -> str:
    if not user.has_perm("api.view_sleutels"):
        return ""
    return render_to_string("api/_mijn_werk.html")
