"""Signals of the werkcyclus, for the apps above ``cycle`` (which it never imports)."""

from django.dispatch import Signal

# Sent inside the transaction that publishes a product, after its audit entry, with
# ``product`` (its row locked, status ``gepubliceerd``), ``user`` and ``entry``. Receivers
# write in that transaction (so their rows exist exactly when the publication does) and put
# any slow work after the commit. A receiver may return an object with ``get_absolute_url()``:
# the e-mail about the publication links there (the published version) instead of to the
# product page.
product_gepubliceerd = Signal()

# Sent inside the transaction of a progress update on an initiative (``services_programma``),
# after its audit entry, with ``initiatief`` (its row locked), ``voortgang`` (the new update),
# ``entry`` and ``status_gewijzigd``. Receivers write in that transaction (so their rows exist
# exactly when the update does, e.g. the followers' outbox) and put slow work after the commit.
voortgang_gemeld = Signal()

# Sent inside the transaction of every product step (``services.product_transition``), after
# its audit entry, with ``product`` (its row locked, already in ``target``), ``user``,
# ``entry``, ``transition``, ``source`` and ``target``. Receivers write in that transaction
# (e.g. participation opens the consultation when a product goes ``ter_consultatie``) and may
# raise ``TransitionError`` to refuse the step: the whole step is then rolled back.
product_overgegaan = Signal()
