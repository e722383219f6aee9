"""What a beheerder (functional administrator) may do in the admin: maintain the reference
data (places, clusters, partners), manage ordinary accounts and their roles, and read the audit
log. What makes someone an administrator (superuser, staff, groups, model permissions, the
beheerder role) and the accounts of other administrators are for superusers only: otherwise a
beheerder could raise themself or take over another administrator's account."""

import rules

from .predicates import (
    is_administrator_account,
    is_beheerder,
    is_beheerder_assignment,
    is_self,
    is_superuser,
)

rules.add_perm("people.access_admin", is_beheerder)
# The admin lists an app on its index only when this (module) permission holds.
for app_label in ("people", "places", "audit", "notices"):
    rules.add_perm(app_label, is_beheerder)

for app_label, models in {
    "places": ["gebied", "werkgebied", "wijkraad", "wijk", "wijkprofielscore"],
    "people": ["cluster", "partner"],
}.items():
    for model in models:
        for action in ("view", "add", "change", "delete"):
            rules.add_perm(f"{app_label}.{action}_{model}", is_beheerder)

# Accounts. The admin asks these with the account as object (and without one for its lists).
rules.add_perm("people.view_user", is_beheerder)
rules.add_perm("people.add_user", is_beheerder)
rules.add_perm(
    "people.change_user", is_superuser | (is_beheerder & (is_self | ~is_administrator_account))
)
rules.add_perm("people.delete_user", is_superuser | (is_beheerder & ~is_administrator_account))
# Superuser, staff, groups and model permissions; setting someone else's password.
rules.add_perm("people.grant_privileges", is_superuser)
rules.add_perm("people.set_password", is_superuser | (is_beheerder & is_self))
# The address is the account's identity and where password links go: a beheerder who could
# change someone's address could send themself that person's link.
rules.add_perm("people.change_email", is_superuser | (is_beheerder & is_self))

# Role assignments, asked with the assignment (before and after a change) as object.
rules.add_perm("people.view_roltoewijzing", is_beheerder)
for action in ("add", "change", "delete"):
    rules.add_perm(
        f"people.{action}_roltoewijzing",
        is_superuser | (is_beheerder & ~is_beheerder_assignment),
    )

rules.add_perm("audit.view_auditentry", is_beheerder)
# The outbox: read it, and send a failed notice again.
rules.add_perm("notices.view_notice", is_beheerder)
rules.add_perm("notices.resend_notice", is_beheerder)

# A resident's own place: "Mijn wijk", their settings; deleting their own account.
from .predicates import is_alleen_bewoner, is_bewoner  # noqa: E402

rules.add_perm("people.view_mijn_wijk", is_bewoner)
rules.add_perm("people.delete_own_account", is_bewoner & is_alleen_bewoner)
# Notifications and the download of one's own data: every signed-in account.
rules.add_perm("people.view_own_notifications", rules.is_authenticated & rules.is_active)
rules.add_perm("people.export_own_data", rules.is_authenticated & rules.is_active)
