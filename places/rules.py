"""Permissions of places beyond the admin's model permissions (those are in ``people.rules``)."""

import rules

from people.predicates import is_beheerder

# Uploading a newer Wijkprofiel file replaces the figures every public page shows.
rules.add_perm("places.import_wijkprofiel", is_beheerder)
