"""Object permissions of the publications. Reading a publication needs none: every version is
public. Only its failure reason and starting it again are for those who run the cycle."""

import rules

from people.predicates import is_beheerder, is_wijkmanager_of

rules.add_perm("publication.retry_pdf", is_beheerder | is_wijkmanager_of)
