"""The generated consultations and reactions (participation/scale_consultatie.py, the step
participation.consultaties of manage.py load_scale): one consultation per product that went
to consultation, reactions that keep the rules (every placed reaction of an adopted product
answered), and the published snapshots carry the nota van beantwoording."""

from django.db.models import Q

from cycle import scale
from cycle.models import Productstatus
from participation.models import Consultatie, Reactie, Reactiestatus
from publication.models import Publicatie

from .test_scale import SMALL


def test_consultations_and_reactions_keep_the_rules(rotterdam):
    scale.generate(**SMALL)
    consultaties = list(Consultatie.objects.select_related("cyclus"))
    assert consultaties
    assert Reactie.objects.count() > 100
    for c in consultaties:
        product = c.product
        assert product is not None and product.status != Productstatus.CONCEPT
        assert c.sluit_op >= c.opent_op
        if product.status != Productstatus.CONSULTATIE:
            assert c.status == "gesloten"
            assert not c.reacties.filter(status=Reactiestatus.GEPLAATST, antwoord="").exists()
    # Parts belong to the product's own cycle.
    for r in Reactie.objects.filter(agendapunt__isnull=False).select_related(
        "agendapunt__wijkagenda", "consultatie"
    )[:200]:
        assert r.agendapunt.wijkagenda.cyclus_id == r.consultatie.cyclus_id
    assert not Reactie.objects.filter(
        Q(status=Reactiestatus.VERBORGEN, verborgen_reden="")
        | Q(status=Reactiestatus.GEPLAATST, geplaatst_op__isnull=True)
    ).exists()
    # The published products that were consulted show their nota.
    geconsulteerd = {(c.cyclus.werkgebied_id, c.cyclus.jaar, c.soort) for c in consultaties}
    publicaties = [
        p
        for p in Publicatie.objects.filter(versie=1)
        if (p.werkgebied_id, p.jaar, p.soort) in geconsulteerd
    ]
    assert publicaties
    assert all("Nota van beantwoording" in p.html for p in publicaties)
    assert all("@" not in p.html.split("Nota van beantwoording", 1)[1] for p in publicaties)
