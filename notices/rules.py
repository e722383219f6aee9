"""Who may see the outbox in the admin and send a failed notice again: beheerders."""

import rules

from people.predicates import is_beheerder

rules.add_perm("notices.view_notice", is_beheerder)
rules.add_perm("notices.resend_notice", is_beheerder)
