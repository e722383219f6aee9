"""Object permissions of the werkcyclus. Views, templates, transitions and services all ask
these; the roles page of a werkgebied explains the described ones from the same definitions.

Two kinds of question: what a role may do in a werkgebied (described on the roles page), and
whether it may be done to this object now (its phase and status: not described, but asked in
the same way by every layer)."""

import rules
from django.utils.translation import gettext_lazy as _

from people.permissions import add_described_perm
from people.predicates import (
    is_accounthouder_in,
    is_accounthouder_of_cluster,
    is_beheerder,
    is_bewoner_of,
    is_raad,
    is_wijkmanager_of,
    is_wijkraadslid_of,
)
from people.roles import werkgebied_of

from .models import (
    PRODUCT_PER_SOORT,
    Fase,
    Opsteller,
    Productstatus,
    Vaststelling,
    taakverdeling_van,
)

runs_the_cycle = is_beheerder | is_wijkmanager_of


# ------------------------------------------------------------- who drafts which product


def _soort(obj) -> str | None:
    return getattr(obj, "SOORT", None) or None


@rules.predicate
def wijkraad_stelt_verslag_op(user, obj):
    return taakverdeling_van(werkgebied_of(obj)).wijkverslag_opsteller == Opsteller.WIJKRAAD


def _drafts(soort: str):
    """Who drafts products of ``soort`` in the object's werkgebied."""
    if soort == "wijkverslag":
        return (
            is_beheerder
            | (wijkraad_stelt_verslag_op & is_wijkraadslid_of)
            | (~wijkraad_stelt_verslag_op & is_wijkmanager_of)
        )
    return runs_the_cycle


@rules.predicate
def drafts_this_product(user, product):
    soort = _soort(product)
    return soort is not None and _drafts(soort).test(user, product)


# --------------------------------------------------------- state of the object, as is now


@rules.predicate
def product_is_bewerkbaar(user, product):
    """Concept or in consultation, while the cycle is in the product's own phase."""
    return _soort(product) is not None and product.is_bewerkbaar


@rules.predicate
def product_is_openbaar(user, product):
    return _soort(product) is not None and product.is_openbaar


@rules.predicate
def product_is_vastgesteld(user, product):
    return _soort(product) is not None and product.status == Productstatus.VASTGESTELD


@rules.predicate
def product_is_eerder_gepubliceerd(user, product):
    return _soort(product) is not None and product.is_eerder_gepubliceerd


@rules.predicate
def checklist_is_open(user, wijkanalyse):
    """The checklist of a wijkanalyse is answered while the cycle is in its analysis phase and
    the analysis is not yet adopted."""
    return (
        getattr(wijkanalyse, "SOORT", None) == "wijkanalyse"
        and wijkanalyse.cyclus.fase == Fase.ANALYSE
        and wijkanalyse.status in (Productstatus.CONCEPT, Productstatus.CONSULTATIE)
    )


@rules.predicate
def signaal_aan_partner(user, signaal):
    return getattr(signaal, "partner_id", None) is not None


@rules.predicate
def initiatief_zonder_cluster(user, initiatief):
    """Owned by a partner or a residents' group: whoever runs the cycle records their answer
    and their progress on their behalf."""
    return getattr(initiatief, "cluster_id", None) is None


@rules.predicate
def is_trekker_van(user, initiatief):
    trekker_id = getattr(initiatief, "trekker_id", None)
    return trekker_id is not None and trekker_id == user.pk


@rules.predicate
def programma_in_opstelling(user, initiatief):
    """The programme of this initiative is still being drafted (its owner can still answer)."""
    return initiatief.wijkprogramma.is_bewerkbaar


@rules.predicate
def in_uitvoering(user, initiatief):
    """The cycle is in its execution year and the owner committed to this initiative."""
    return (
        initiatief.wijkprogramma.cyclus.fase == Fase.UITVOERING
        and initiatief.toezegging == "toegezegd"
    )


@rules.predicate
def in_verantwoording(user, initiatief):
    """The cycle accounts for its year: each initiative's end is recorded and judged."""
    return initiatief.wijkprogramma.cyclus.fase == Fase.VERANTWOORDING


@rules.predicate
def knelpunt_in_uitvoering(user, knelpunt):
    return knelpunt.initiatief.wijkprogramma.cyclus.fase in (Fase.UITVOERING, Fase.VERANTWOORDING)


@rules.predicate
def cyclus_is_afgerond(user, cyclus):
    return getattr(cyclus, "fase", None) == Fase.AFGEROND


@rules.predicate
def college_stelt_vast(user, obj):
    return taakverdeling_van(werkgebied_of(obj)).vaststelling == Vaststelling.COLLEGE


# ---------------------------------------------------------------- described permissions

add_described_perm("cycle.add_werkcyclus", runs_the_cycle, label=_("een nieuwe jaarcyclus starten"))
add_described_perm(
    "cycle.plan_werkcyclus", runs_the_cycle, label=_("de planning van de fasen wijzigen")
)
add_described_perm(
    "cycle.advance_werkcyclus", runs_the_cycle, label=_("de cyclus naar de volgende fase brengen")
)
# One sentence each, so every one is translated whole (and lazily, per request).
DRAFT_LABELS = {
    "wijkanalyse": _("de wijkanalyse opstellen en ter consultatie voorleggen"),
    "wijkagenda": _("de wijkagenda opstellen en ter consultatie voorleggen"),
    "wijkprogramma": _("het wijkprogramma opstellen en ter consultatie voorleggen"),
    "wijkverslag": _("het wijkverslag opstellen en ter consultatie voorleggen"),
}
for _kind in PRODUCT_PER_SOORT:
    add_described_perm(f"cycle.draft_{_kind}", _drafts(_kind), label=DRAFT_LABELS[_kind])
add_described_perm(
    "cycle.adopt_product",
    runs_the_cycle & ~college_stelt_vast,
    label=_("een product vaststellen"),
)
add_described_perm(
    "cycle.record_adoption",
    runs_the_cycle & college_stelt_vast,
    label=_("de vaststelling door het college vastleggen (met besluitreferentie)"),
)
add_described_perm(
    "cycle.publish_product", runs_the_cycle, label=_("een vastgesteld product publiceren")
)
add_described_perm(
    "cycle.correct_product",
    runs_the_cycle,
    label=_("een gepubliceerd product heropenen voor correctie (met reden)"),
)
add_described_perm(
    "cycle.view_concept",
    is_beheerder | is_wijkmanager_of | is_wijkraadslid_of | is_accounthouder_in,
    label=_("concepten inzien voordat ze openbaar zijn"),
)
add_described_perm(
    "cycle.view_adopted",
    is_beheerder | is_wijkmanager_of | is_wijkraadslid_of | is_accounthouder_in | is_raad,
    label=_("een vastgesteld product lezen voordat het gepubliceerd is"),
)

add_described_perm(
    "cycle.comment_concept",
    runs_the_cycle | is_wijkraadslid_of,
    label=_("opmerkingen plaatsen bij concepten van de wijkanalyse en de wijkagenda"),
)
add_described_perm(
    "cycle.fill_checklist",
    is_bewoner_of | is_wijkmanager_of | is_accounthouder_in | is_wijkraadslid_of,
    label=_("de checklist ‘Wat is er aan de hand in de wijk?’ invullen tijdens de wijkanalyse"),
)
add_described_perm(
    "cycle.view_checklist_answers",
    runs_the_cycle,
    label=_("alle antwoorden op de checklist lezen en citeren in de wijkanalyse"),
)
# Described for the roles page (an accounthouder holds it for the werkgebied); per signal it
# is narrowed to the accounthouders of the cluster the signal is addressed to, below.
add_described_perm(
    "cycle.answer_beleidssignalen",
    is_accounthouder_in,
    label=_("beleidssignalen aan het eigen cluster beantwoorden"),
)

add_described_perm(
    "cycle.commit_initiatieven",
    is_accounthouder_in,
    label=_("initiatieven van het eigen cluster toezeggen of afwijzen"),
)
add_described_perm(
    "cycle.report_initiatieven",
    runs_the_cycle | is_accounthouder_in,
    label=_("de voortgang van initiatieven melden (een accounthouder: van het eigen cluster)"),
)
add_described_perm(
    "cycle.raise_knelpunten",
    runs_the_cycle | is_accounthouder_in | is_wijkraadslid_of,
    label=_("een knelpunt bij een initiatief melden"),
)
add_described_perm(
    "cycle.resolve_knelpunten",
    runs_the_cycle,
    label=_("een knelpunt als opgelost afsluiten"),
)

add_described_perm(
    "cycle.close_initiatieven",
    runs_the_cycle,
    label=_(
        "in het twaalfmaandenrapport vastleggen hoe elk initiatief het jaar afsloot "
        "(gerealiseerd, doorgeschoven of geschrapt)"
    ),
)
add_described_perm(
    "cycle.view_wijkmt",
    runs_the_cycle | is_accounthouder_in | is_wijkraadslid_of,
    label=_(
        "het overzicht van het wijk-MT inzien: alle initiatieven in uitvoering, wat te laat "
        "is en de open knelpunten"
    ),
)
add_described_perm(
    "cycle.manage_wijkmt",
    runs_the_cycle,
    label=_(
        "het wijk-MT voorzitten: de wijkraaddelegatie kiezen en de overleggen met hun "
        "besluitenlijst vastleggen"
    ),
)
add_described_perm(
    "cycle.view_stadsoverzicht",
    is_raad | is_beheerder,
    label=_("het twaalfmaandenrapport van alle werkgebieden samen lezen"),
)
add_described_perm(
    "cycle.judge_initiatieven",
    is_wijkraadslid_of,
    label=_("per initiatief het oordeel van de wijkraad geven"),
)

# ------------------------------------------------- per object, now (asked by every layer)

involved = runs_the_cycle | is_wijkraadslid_of | is_accounthouder_in

# Change the text or any content (agendapunten, themes…) of this product now: the edit guard
# (``cycle.services.product_edit``) asks this for every content service.
rules.add_perm("cycle.edit_product", drafts_this_product & product_is_bewerkbaar)
# Comment on this product now: while it is a concept or in consultation.
rules.add_perm(
    "cycle.comment_product", (runs_the_cycle | is_wijkraadslid_of) & product_is_bewerkbaar
)
# Answer the checklist of this wijkanalyse now (as a resident or in a professional role).
rules.add_perm(
    "cycle.answer_checklist",
    (is_bewoner_of | is_wijkmanager_of | is_accounthouder_in | is_wijkraadslid_of)
    & checklist_is_open,
)
# Answer this beleidssignaal: the accounthouders of the cluster it is addressed to; one
# addressed to a partner is answered on the partner's behalf by whoever runs the cycle.
rules.add_perm(
    "cycle.answer_beleidssignaal",
    is_accounthouder_of_cluster | (signaal_aan_partner & runs_the_cycle),
)
# Answer for the owner of this initiative now: the accounthouders of its cluster; for a
# partner or a residents' group whoever runs the cycle, on their behalf.
owner_speaks = is_accounthouder_of_cluster | (initiatief_zonder_cluster & runs_the_cycle)
rules.add_perm("cycle.commit_initiatief", owner_speaks & programma_in_opstelling)
# Report progress on (and change the execution status of) this initiative now: its owner's
# voice, its trekker, or whoever runs the cycle.
rules.add_perm(
    "cycle.report_initiatief", (owner_speaks | is_trekker_van | runs_the_cycle) & in_uitvoering
)
# Flag a blocker on this initiative now: anyone involved in the werkgebied, or its trekker.
rules.add_perm("cycle.raise_knelpunt", (involved | is_trekker_van) & in_uitvoering)
# Close a blocker (the wijk-MT's chair).
rules.add_perm("cycle.resolve_knelpunt", runs_the_cycle & knelpunt_in_uitvoering)
# Record how this initiative ended its year, and carry it over (twelve-month report).
rules.add_perm("cycle.close_initiatief", runs_the_cycle & in_verantwoording)
# Judge this initiative for the wijkraad.
rules.add_perm("cycle.judge_initiatief", is_wijkraadslid_of & in_verantwoording)
# See the knelpunten of an initiative (those involved; not public).
rules.add_perm("cycle.view_knelpunten", involved | is_trekker_van)
# The transitions' permissions (the state machine checks the source state itself).
rules.add_perm("cycle.consult_product", drafts_this_product)
rules.add_perm("cycle.adopt_this_product", runs_the_cycle)
# Read this product now: what is public; concepts for those involved; an adopted product also
# for the council before it is published.
reads_product = product_is_openbaar | involved | (product_is_vastgesteld & is_raad)
rules.add_perm("cycle.view_product", reads_product)
# Open the page of this product: whoever may read it, and anyone once it has been published
# (while it is corrected, the public sees its published versions, not the new text).
rules.add_perm("cycle.view_product_page", product_is_eerder_gepubliceerd | reads_product)
# Reach the step form of this product at all (which step is decided by the state machine and
# checked again by the service).
rules.add_perm("cycle.step_product", drafts_this_product | runs_the_cycle)
# The task division per werkgebied, in the admin (and the app on the admin's index).
rules.add_perm("cycle", is_beheerder)
for _action in ("view", "add", "change"):
    rules.add_perm(f"cycle.{_action}_taakverdeling", is_beheerder)
    # Reference data: the themes and the questions of the checklist.
    rules.add_perm(f"cycle.{_action}_wijkthema", is_beheerder)
    rules.add_perm(f"cycle.{_action}_checklistvraag", is_beheerder)

# Change the planning of this cycle now.
rules.add_perm("cycle.change_planning", runs_the_cycle & ~cyclus_is_afgerond)

# ------------------------------------------------------------------------ the wijkakkoord


@rules.predicate
def akkoord_is_concept(user, akkoord):
    return getattr(akkoord, "status", None) == "concept" and hasattr(akkoord, "startjaar")


@rules.predicate
def akkoord_in_advies(user, akkoord):
    return getattr(akkoord, "status", None) == "advies" and hasattr(akkoord, "startjaar")


@rules.predicate
def akkoord_is_gepubliceerd(user, akkoord):
    return getattr(akkoord, "status", None) == "gepubliceerd" and hasattr(akkoord, "startjaar")


# Asked of a werkgebied (the roles page, starting one) and of an akkoord (its pages).
add_described_perm(
    "cycle.draft_wijkakkoord",
    runs_the_cycle,
    label=_(
        "het wijkakkoord opstellen (visie, opgaven, doelen, resultaten) en voor advies voorleggen"
    ),
)
add_described_perm(
    "cycle.advise_wijkakkoord",
    is_wijkraadslid_of,
    label=_("het advies van de wijkraad over het wijkakkoord vastleggen"),
)
add_described_perm(
    "cycle.adopt_wijkakkoord",
    runs_the_cycle,
    label=_("de vaststelling van het wijkakkoord vastleggen en het publiceren"),
)
# Change the content of this akkoord now: its drafter, while it is a concept.
rules.add_perm("cycle.edit_wijkakkoord", runs_the_cycle & akkoord_is_concept)
# Record the advice on this akkoord now: a wijkraadslid, while it is out for advice.
rules.add_perm("cycle.give_advies_wijkakkoord", is_wijkraadslid_of & akkoord_in_advies)
# Read this akkoord now: anyone once published; before that those involved in the werkgebied.
rules.add_perm("cycle.view_wijkakkoord", akkoord_is_gepubliceerd | involved)
