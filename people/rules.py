"""What a beheerder (functional administrator) may do in the admin: maintain the reference
data (places, clusters, partners) and assign roles, and read the audit log."""

import rules

from .predicates import is_beheerder

rules.add_perm("people.access_admin", is_beheerder)

for app_label, models in {
    "places": ["gebied", "werkgebied", "wijkraad", "wijk", "wijkprofielscore"],
    "people": ["cluster", "partner", "roltoewijzing", "user"],
}.items():
    for model in models:
        for action in ("view", "add", "change", "delete"):
            rules.add_perm(f"{app_label}.{action}_{model}", is_beheerder)

rules.add_perm("audit.view_auditentry", is_beheerder)
