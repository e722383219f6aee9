"""Object permissions of the werkcyclus. Views, templates and transitions all ask these; the
roles page of a werkgebied explains them from the same definitions."""

from django.utils.translation import gettext_lazy as _

from people.permissions import add_described_perm
from people.predicates import (
    is_accounthouder_in,
    is_beheerder,
    is_wijkmanager_of,
    is_wijkraadslid_of,
)

runs_the_cycle = is_beheerder | is_wijkmanager_of

add_described_perm("cycle.add_werkcyclus", runs_the_cycle, label=_("een nieuwe jaarcyclus starten"))
add_described_perm(
    "cycle.plan_werkcyclus", runs_the_cycle, label=_("de planning van de fasen wijzigen")
)
add_described_perm(
    "cycle.advance_werkcyclus", runs_the_cycle, label=_("de cyclus naar de volgende fase brengen")
)
add_described_perm(
    "cycle.change_product",
    runs_the_cycle,
    label=_("wijkanalyse, wijkagenda, wijkprogramma en wijkverslag opstellen"),
)
add_described_perm(
    "cycle.consult_product", runs_the_cycle, label=_("een concept ter consultatie voorleggen")
)
add_described_perm("cycle.adopt_product", runs_the_cycle, label=_("een product vaststellen"))
add_described_perm(
    "cycle.publish_product", runs_the_cycle, label=_("een vastgesteld product publiceren")
)
add_described_perm(
    "cycle.view_concept",
    runs_the_cycle | is_wijkraadslid_of | is_accounthouder_in,
    label=_("concepten inzien voordat ze openbaar zijn"),
)
