"""Object permissions of the participation plan and the wijkraad's advice. Views, templates,
transitions and services all ask these; the roles page lists them (``add_described_perm``).

The object is the plan, the advice, a cycle or a werkgebied: each is placed in its werkgebied
(``werkgebied_of``), and an object that cannot be placed grants nothing. Reading is public:
the plan, the advice and the answer are all open to everyone."""

from django.utils.translation import gettext_lazy as _

from people.permissions import add_described_perm
from people.predicates import is_beheerder, is_wijkmanager_of, is_wijkraadslid_of

runs = is_beheerder | is_wijkmanager_of

add_described_perm(
    "participation.change_participatieplan",
    runs,
    label=_(
        "het participatieplan opstellen: per fase het niveau, de kaders, de groepen, de "
        "middelen en wanneer er genoeg draagvlak is"
    ),
)
add_described_perm(
    "participation.vraag_advies",
    runs,
    label=_("de wijkraad om advies vragen, met een termijn"),
)
add_described_perm(
    "participation.geef_advies",
    is_wijkraadslid_of,
    label=_("namens de wijkraad advies geven (gevraagd en ongevraagd)"),
)
add_described_perm(
    "participation.beantwoord_advies",
    runs,
    label=_("een advies van de wijkraad beantwoorden, of het antwoord van het college vastleggen"),
)
