"""Object permissions of meldingen. Views, templates, transitions and services all ask these.

A melding belongs to the werkgebied of its wijk (``Melding.werkgebied``): its wijkmanagers
triage it; when it is forwarded to a cluster, that cluster's accounthouders in the gebied may
answer it. A melding without a werkgebied (a wijk without a wijkraad) grants no scoped role:
only beheerders handle it."""

import rules
from django.utils.translation import gettext_lazy as _

from people.models import Rol
from people.permissions import add_described_perm
from people.predicates import is_beheerder, is_bewoner_of, is_wijkmanager_of
from people.roles import active_assignments, covers, werkgebied_of

from .models import Meldingstatus

triages = is_beheerder | is_wijkmanager_of


@rules.predicate
def is_accounthouder_of_its_cluster(user, melding):
    """An accounthouder of the cluster the melding was forwarded to, in its gebied."""
    cluster_id = getattr(melding, "cluster_id", None)
    werkgebied = werkgebied_of(melding)
    if cluster_id is None or werkgebied is None:
        return False
    return any(
        a.rol == Rol.ACCOUNTHOUDER and a.cluster_id == cluster_id and covers(a, werkgebied)
        for a in active_assignments(user)
    )


@rules.predicate
def is_doorgezet(user, melding):
    return getattr(melding, "status", None) == Meldingstatus.DOORGEZET


# Whoever may act on a melding in some status: the services ask this before anything else, so
# that nobody else learns from an error whether a melding changed or which status it has.
involved = triages | is_accounthouder_of_its_cluster


add_described_perm(
    "participation.triage_melding",
    triages,
    label=_("meldingen behandelen, doorzetten en beantwoorden (en de contactgegevens inzien)"),
)
# Answer the reporter and so close the melding: whoever triages it, or, while it lies with a
# cluster, that cluster's accounthouders.
rules.add_perm(
    "participation.answer_melding", triages | (is_doorgezet & is_accounthouder_of_its_cluster)
)
# Read the whole melding (its text before it is made public, its history with notes), but not
# the reporter's address or photos: that is ``triage_melding`` only.
rules.add_perm(
    "participation.view_melding", triages | (is_doorgezet & is_accounthouder_of_its_cluster)
)
# The meldingen of wijken without a wijkraad (no werkgebied, so no scoped role covers them).
rules.add_perm("participation.triage_zonder_wijkraad", is_beheerder)
# Themes are reference data for beheerders, in the admin.
rules.add_perm("participation", is_beheerder)
for _action in ("view", "add", "change"):
    rules.add_perm(f"participation.{_action}_thema", is_beheerder)


# The participation plan and the wijkraad's advice.
from . import rules_plan  # noqa: E402, F401

# ------------------------------------------------------------- consultations and reactions


@rules.predicate
def product_in_consultatie(user, obj):
    """The consultation's product (of a reaction: its consultation's) is still in
    consultation: answers and hiding are part of the nota until the product is adopted."""
    consultatie = getattr(obj, "consultatie", obj)
    product = getattr(consultatie, "product", None)
    return product is not None and product.status == "consultatie"


# Described on the roles page: who answers and moderates the reactions of a werkgebied.
add_described_perm(
    "participation.beantwoord_reacties",
    triages,
    label=_("reacties op een consultatie beantwoorden en een ongepaste reactie verbergen"),
)
# The moderation list of a consultation (every reaction, who wrote it kept out of sight).
rules.add_perm("participation.view_consultatie_beheer", triages)
# Change the question and the dates; answer a reaction; hide one: while the product is in
# consultation (after adoption the nota van beantwoording is fixed).
rules.add_perm("participation.change_consultatie", triages & product_in_consultatie)
rules.add_perm("participation.beantwoord_reactie", triages & product_in_consultatie)
rules.add_perm("participation.verberg_reactie", triages & product_in_consultatie)
from . import rules_bijeenkomsten  # noqa: E402, F401 - registers the meetings' permissions

# ------------------------------------------------------------------ residents' support
# A resident registered (today) in the werkgebied of the agendapunt or initiative supports it.
add_described_perm(
    "participation.steun_geven",
    is_bewoner_of,
    label=_("agendapunten en initiatieven van het eigen werkgebied steunen"),
)
