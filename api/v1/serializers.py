"""What the read endpoints show of each object: what its public page shows, no more. Fields
whose page shows them only in some state (a melding's text once it is publishable, an
initiative's progress once the programme is executed) are ``null`` otherwise."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from budgets.models import Budget, Budgetdeel
from cycle.models import Agendapunt, Initiatief, Toezegging, Werkcyclus
from cycle.selectors_programma import UITVOERING_FASEN
from cycle.selectors_verslag import EINDSTANDEN, eindstand_label
from participation.models import Melding
from participation.models_bijeenkomsten import Bijeenkomst
from places.models import Gebied, Werkgebied, Wijk, WijkprofielScore
from places.selectors import werkgebied_kerncijfers
from publication.models import Pdfstatus, Publicatie

PUBLIEK = AnonymousUser()


def absoluut(serializer, path: str | None) -> str | None:
    request = serializer.context.get("request")
    if path is None:
        return None
    return request.build_absolute_uri(path) if request is not None else path


class PaginaMixin(serializers.Serializer):
    pagina = serializers.SerializerMethodField(help_text=_("De openbare pagina in het portaal."))

    def pagina_path(self, obj) -> str | None:
        return obj.get_absolute_url()

    @extend_schema_field(OpenApiTypes.URI)
    def get_pagina(self, obj):
        return absoluut(self, self.pagina_path(obj))


class ProblemSerializer(serializers.Serializer):
    """An error body (RFC 9457, ``application/problem+json``)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Per veld wat er niet klopt (bij status 400)."),
    )


# ----------------------------------------------------------------------------- places


class GebiedSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:gebied-detail", lookup_field="slug"
    )

    class Meta:
        model = Gebied
        fields = ["url", "slug", "code", "naam", "cbs_wijknaam"]


class WijkprofielSerializer(serializers.ModelSerializer):
    class Meta:
        model = WijkprofielScore
        fields = ["jaar", "fysieke_index", "veiligheidsindex", "sociale_index"]


class WijkSerializer(PaginaMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:wijk-detail", lookup_field="slug")
    gebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    werkgebied = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    cbs_buurtcodes = serializers.ListField(child=serializers.CharField(), read_only=True)
    wijkprofiel = WijkprofielSerializer(many=True, read_only=True)

    class Meta:
        model = Wijk
        fields = [
            "url",
            "slug",
            "naam",
            "gebied",
            "werkgebied",
            "cbs_buurtcodes",
            "inwoners",
            "inwoners_jaar",
            "wijkprofiel",
            "pagina",
        ]


class KerncijfersSerializer(serializers.Serializer):
    """The latest Wijkprofiel rolled up over the werkgebied's wijken, weighted by
    inhabitants (as the werkgebied's page shows it)."""

    jaar = serializers.IntegerField(allow_null=True)
    inwoners = serializers.IntegerField()
    sociale_index = serializers.IntegerField(allow_null=True)
    fysieke_index = serializers.IntegerField(allow_null=True)
    veiligheidsindex = serializers.IntegerField(allow_null=True)


class WerkgebiedSerializer(PaginaMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:werkgebied-detail", lookup_field="slug"
    )
    gebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    wijkraad = serializers.SerializerMethodField()
    wijken = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    kerncijfers = serializers.SerializerMethodField()

    class Meta:
        model = Werkgebied
        fields = ["url", "slug", "naam", "gebied", "wijkraad", "wijken", "kerncijfers", "pagina"]

    @extend_schema_field(
        inline_serializer(
            "Wijkraad",
            {"naam": serializers.CharField(), "soort": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_wijkraad(self, obj):
        wijkraad = getattr(obj, "wijkraad", None)
        if wijkraad is None:
            return None
        return {"naam": wijkraad.naam, "soort": wijkraad.soort}

    @extend_schema_field(KerncijfersSerializer)
    def get_kerncijfers(self, obj):
        k = werkgebied_kerncijfers(list(obj.wijken.all()))
        return KerncijfersSerializer(k).data


# ------------------------------------------------------------------------------ cycle


class FaseplanningSerializer(serializers.Serializer):
    fase = serializers.CharField()
    label = serializers.CharField()
    begin = serializers.DateField()
    eind = serializers.DateField()
    gestart = serializers.DateField(allow_null=True)
    afgerond = serializers.DateField(allow_null=True)
    stand = serializers.ChoiceField(choices=["afgerond", "lopend", "gepland"])
    te_laat = serializers.BooleanField()


class ProductstandSerializer(serializers.Serializer):
    """A product of the cycle as the cycle's page lists it: its title and status once the
    public may read it; before that only how far it is."""

    soort = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[
            "consultatie",
            "gepubliceerd",
            "correctie",
            "vastgesteld",
            "in_voorbereiding",
        ]
    )
    titel = serializers.CharField(allow_null=True)
    pagina = serializers.URLField(allow_null=True)


class CyclusSerializer(PaginaMixin, serializers.ModelSerializer):
    werkgebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    fase_label = serializers.CharField(source="get_fase_display", read_only=True)
    te_laat = serializers.SerializerMethodField()
    planning = serializers.SerializerMethodField()
    producten = serializers.SerializerMethodField()

    class Meta:
        model = Werkcyclus
        fields = [
            "id",
            "werkgebied",
            "jaar",
            "fase",
            "fase_label",
            "te_laat",
            "planning",
            "producten",
            "pagina",
        ]

    def get_te_laat(self, obj) -> bool:
        from cycle.selectors import is_te_laat

        return is_te_laat(obj)

    @extend_schema_field(FaseplanningSerializer(many=True))
    def get_planning(self, obj):
        from cycle.selectors import tijdlijn

        return FaseplanningSerializer(tijdlijn(obj), many=True).data

    @extend_schema_field(ProductstandSerializer(many=True))
    def get_producten(self, obj):
        rijen = []
        for product in obj.producten():
            product.cyclus = obj
            zichtbaar = PUBLIEK.has_perm("cycle.view_product", product)
            if zichtbaar:
                status = product.status
            elif product.is_eerder_gepubliceerd:
                status = "correctie"
            elif product.status == "vastgesteld":
                status = "vastgesteld"
            else:
                status = "in_voorbereiding"
            pagina = (
                product.get_absolute_url()
                if PUBLIEK.has_perm("cycle.view_product_page", product)
                else None
            )
            rijen.append(
                {
                    "soort": product.SOORT,
                    "status": status,
                    "titel": product.titel if zichtbaar else None,
                    "pagina": absoluut(self, pagina),
                }
            )
        return rijen


class PublicatieSerializer(PaginaMixin, serializers.ModelSerializer):
    werkgebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tekst = serializers.SerializerMethodField(
        help_text=_("De tekst zoals die is gepubliceerd (HTML, onveranderlijk).")
    )
    pdf = serializers.SerializerMethodField(help_text=_("De PDF, zodra die gemaakt is."))
    pdf_sha256 = serializers.SerializerMethodField()
    pdf_grootte = serializers.SerializerMethodField()
    opvolger_versie = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Publicatie
        fields = [
            "id",
            "soort",
            "werkgebied",
            "jaar",
            "versie",
            "titel",
            "gepubliceerd_op",
            "gepubliceerd_door_naam",
            "correctie_reden",
            "opvolger_versie",
            "pdf_status",
            "pdf",
            "pdf_sha256",
            "pdf_grootte",
            "tekst",
            "pagina",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_tekst(self, obj):
        return absoluut(self, obj.get_html_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf(self, obj):
        return absoluut(self, obj.get_pdf_url()) if obj.pdf_status == Pdfstatus.KLAAR else None

    def get_pdf_sha256(self, obj) -> str | None:
        return obj.pdf_sha256 if obj.pdf_status == Pdfstatus.KLAAR else None

    def get_pdf_grootte(self, obj) -> int | None:
        return obj.pdf_grootte if obj.pdf_status == Pdfstatus.KLAAR else None


class SectieSerializer(serializers.Serializer):
    naam = serializers.CharField()
    titel = serializers.CharField()
    tekst = serializers.CharField()


class PublicatieDetailSerializer(PublicatieSerializer):
    """One version, and for the version in force (not replaced, its product not reopened for a
    correction) the product's text sections as structured data: the same text its frozen
    document holds. Of a replaced version only the document (``tekst``) is left."""

    secties = serializers.SerializerMethodField()

    class Meta(PublicatieSerializer.Meta):
        fields = [*PublicatieSerializer.Meta.fields, "secties"]

    @extend_schema_field(SectieSerializer(many=True, allow_null=True))
    def get_secties(self, obj):
        from cycle.models import Productstatus

        product = obj.product
        if (
            obj.opvolger_versie is not None
            or product is None
            or product.status != Productstatus.GEPUBLICEERD
        ):
            return None
        return [
            {
                "naam": sectie,
                "titel": str(product._meta.get_field(sectie).verbose_name),
                "tekst": getattr(product, sectie),
            }
            for sectie in product.SECTIES
        ]


class AgendapuntSerializer(PaginaMixin, serializers.ModelSerializer):
    werkgebied = serializers.CharField(source="wijkagenda.cyclus.werkgebied.slug")
    jaar = serializers.IntegerField(source="wijkagenda.cyclus.jaar")
    thema = serializers.CharField(source="thema.naam", allow_null=True, default=None)
    wijken = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Agendapunt
        fields = [
            "id",
            "werkgebied",
            "jaar",
            "rang",
            "titel",
            "probleem",
            "thema",
            "wijken",
            "buurten",
            "onderbouwing",
            "collectief",
            "pagina",
        ]

    def pagina_path(self, obj):
        return f"{obj.wijkagenda.get_absolute_url()}#punt-{obj.pk}"


class VoortgangSerializer(serializers.Serializer):
    datum = serializers.DateField()
    percentage = serializers.IntegerField()
    mijlpaal = serializers.CharField()
    tekst = serializers.CharField()


class UitvoeringSerializer(serializers.Serializer):
    """The execution of an initiative the owner committed to, once the cycle executes it."""

    status = serializers.CharField()
    status_label = serializers.CharField()
    percentage = serializers.IntegerField()
    laatste_update = serializers.DateTimeField(allow_null=True)
    verwacht_eind = serializers.DateField(allow_null=True)
    laatste_voortgang = VoortgangSerializer(allow_null=True)


class EindstandSerializer(serializers.Serializer):
    """How an initiative ended its year, as the twelve-month report counts it."""

    waarde = serializers.ChoiceField(choices=EINDSTANDEN)
    label = serializers.CharField()


class ActieSerializer(PaginaMixin, serializers.ModelSerializer):
    werkgebied = serializers.CharField(source="wijkprogramma.cyclus.werkgebied.slug")
    jaar = serializers.IntegerField(source="wijkprogramma.cyclus.jaar")
    agendapunt = serializers.PrimaryKeyRelatedField(read_only=True)
    eigenaar = serializers.CharField(read_only=True)
    cluster = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    trekker = serializers.CharField(source="trekker_naam")
    toezegging_label = serializers.CharField(source="get_toezegging_display")
    uitvoering = serializers.SerializerMethodField()
    versie = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "De versie van de actie; stuur die mee in de kop If-Match bij het melden van "
            "voortgang, toezeggen of afwijzen."
        ),
    )
    eindstand = serializers.SerializerMethodField(
        help_text=_(
            "Hoe het twaalfmaandenrapport het initiatief telt: de vastgelegde afloop; zonder "
            "afloop ‘gerealiseerd’ of ‘geschrapt’ als de uitvoering gerealiseerd of gestopt "
            "is; anders ‘open’ (nog niet vastgelegd)."
        )
    )

    class Meta:
        model = Initiatief
        fields = [
            "id",
            "versie",
            "werkgebied",
            "jaar",
            "agendapunt",
            "titel",
            "beoogd_effect",
            "eigenaar",
            "cluster",
            "trekker",
            "bijdragers",
            "participatieniveau",
            "start",
            "eind",
            "bedrag",
            "financiering",
            "succesindicator",
            "toezegging",
            "toezegging_label",
            "uitvoering",
            "afloop",
            "eindstand",
            "pagina",
        ]
        extra_kwargs = {
            "afloop": {
                "help_text": _(
                    "De afloop zoals de wijkmanager die heeft vastgelegd (leeg: nog niet "
                    "vastgelegd). Het twaalfmaandenrapport telt ‘eindstand’: deze afloop, of "
                    "anders wat de uitvoeringsstatus zegt."
                )
            }
        }

    def pagina_path(self, obj):
        return f"{obj.wijkprogramma.get_absolute_url()}#initiatief-{obj.pk}"

    @extend_schema_field(EindstandSerializer)
    def get_eindstand(self, obj):
        return {"waarde": obj.eindstand, "label": eindstand_label(obj.eindstand)}

    @extend_schema_field(UitvoeringSerializer(allow_null=True))
    def get_uitvoering(self, obj):
        # As the programme's page: status and progress once the cycle is executed, for what
        # the owner committed to.
        cyclus = obj.wijkprogramma.cyclus
        if cyclus.fase not in UITVOERING_FASEN or obj.toezegging != Toezegging.TOEGEZEGD:
            return None
        laatste = None
        if getattr(obj, "voortgang_datum", None) is not None:
            laatste = {
                "datum": obj.voortgang_datum,
                "percentage": obj.voortgang_percentage,
                "mijlpaal": obj.voortgang_mijlpaal,
                "tekst": obj.voortgang_tekst,
            }
        return UitvoeringSerializer(
            {
                "status": obj.status,
                "status_label": obj.get_status_display(),
                "percentage": obj.percentage,
                "laatste_update": obj.laatste_update,
                "verwacht_eind": obj.verwacht_eind,
                "laatste_voortgang": laatste,
            }
        ).data


class TellingSerializer(serializers.Serializer):
    totaal = serializers.IntegerField()
    gerealiseerd = serializers.IntegerField()
    doorgeschoven = serializers.IntegerField()
    geschrapt = serializers.IntegerField()
    open = serializers.IntegerField()
    beoordeeld = serializers.IntegerField()
    oordeel_gerealiseerd = serializers.IntegerField()
    pct_gerealiseerd = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    pct_doorgeschoven = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    pct_geschrapt = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    pct_open = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    pct_oordeel_gerealiseerd = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True
    )
    haalt_streefwaarde = serializers.BooleanField(allow_null=True)


class TwaalfmaandenSerializer(PaginaMixin, serializers.ModelSerializer):
    """How the initiatives of one cycle's programme ended their year (the twelve-month
    report's figures), against the city's target."""

    werkgebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    streefwaarde = serializers.SerializerMethodField()
    telling = serializers.SerializerMethodField()

    class Meta:
        model = Werkcyclus
        fields = ["id", "werkgebied", "jaar", "fase", "telling", "streefwaarde", "pagina"]

    def pagina_path(self, obj):
        from django.urls import reverse

        return reverse("twaalfmaanden", kwargs={"slug": obj.werkgebied.slug, "jaar": obj.jaar})

    def get_streefwaarde(self, obj) -> int:
        from cycle.selectors_verslag import STREEFWAARDE_OORDEEL

        return STREEFWAARDE_OORDEEL

    @extend_schema_field(TellingSerializer)
    def get_telling(self, obj):
        return TellingSerializer(self.context["tellingen"][obj.pk]).data


# ----------------------------------------------------------------------- participation


class MeldingSerializer(PaginaMixin, serializers.ModelSerializer):
    """As the public list /meldingen/ shows one: the text only once the wijkmanager has
    checked it holds no names or addresses. Never the reporter, the address, the photos."""

    thema = serializers.CharField(source="thema.naam")
    wijk = serializers.CharField(source="wijk.slug")
    status_label = serializers.CharField(source="get_status_display")
    dubbel = serializers.SerializerMethodField()
    tekst = serializers.SerializerMethodField()

    class Meta:
        model = Melding
        fields = [
            "code",
            "thema",
            "wijk",
            "status",
            "status_label",
            "dubbel",
            "ingediend_op",
            "steun",
            "publiceerbaar",
            "tekst",
            "pagina",
        ]

    def get_dubbel(self, obj) -> bool:
        return obj.hoofdmelding_id is not None

    def get_tekst(self, obj) -> str | None:
        return obj.tekst if obj.publiceerbaar else None


class MeldingDetailSerializer(MeldingSerializer):
    """As the tracking page /meldingen/<code>/ shows one: also the place (with the text), the
    target date while open and the answer once closed."""

    plek = serializers.SerializerMethodField()
    streefdatum = serializers.SerializerMethodField()
    antwoord = serializers.SerializerMethodField()

    class Meta(MeldingSerializer.Meta):
        fields = [*MeldingSerializer.Meta.fields, "plek", "streefdatum", "antwoord"]

    def get_plek(self, obj) -> str | None:
        return (obj.plek or None) if obj.publiceerbaar else None

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_streefdatum(self, obj):
        return obj.termijn_op.isoformat() if obj.is_open else None

    def get_antwoord(self, obj) -> str | None:
        return obj.antwoord if obj.antwoord and not obj.is_open else None


class BijeenkomstSerializer(PaginaMixin, serializers.ModelSerializer):
    werkgebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    soort_label = serializers.CharField(source="get_soort_display")

    class Meta:
        model = Bijeenkomst
        fields = [
            "id",
            "werkgebied",
            "soort",
            "soort_label",
            "titel",
            "begin",
            "einde",
            "plaats",
            "adres",
            "niveau",
            "fase",
            "agenda",
            "geannuleerd",
            "verslag",
            "aantal_aanwezigen",
            "pagina",
        ]


# ---------------------------------------------------------------------------- budgets


class ToegekendSerializer(serializers.Serializer):
    """An awarded line of a part, as the public budget page lists it: its name and amounts,
    never who applied or who booked."""

    omschrijving = serializers.CharField(
        source="naam",
        help_text=_("De titel van de actie of het initiatief (zonder titel: de soort post)."),
    )
    gereserveerd = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Het toegekende bedrag.")
    )
    betaald = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("Wat daarvan al is betaald.")
    )


class BudgetdeelSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_soort_display")
    beschikbaar = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    toegekend = serializers.SerializerMethodField(
        help_text=_(
            "De toegekende acties en initiatieven met hun bedrag, zoals de budgetpagina ze "
            "noemt; null voor het knelpuntenbudget, dat alleen als totaal openbaar is."
        )
    )

    class Meta:
        model = Budgetdeel
        fields = ["soort", "label", "bedrag", "gereserveerd", "betaald", "beschikbaar", "toegekend"]

    @extend_schema_field(ToegekendSerializer(many=True, allow_null=True))
    def get_toegekend(self, deel):
        posten = self.context["toegekend"][deel.pk]
        return None if posten is None else ToegekendSerializer(posten, many=True).data


class BudgetSerializer(PaginaMixin, serializers.ModelSerializer):
    """A werkgebied's wijkbudget for a year as the page /werkgebieden/<slug>/budget/<jaar>/
    shows it: the totals per part and the lines awarded from each part. The view puts the
    budgets' accounts (``budgets.selectors.jaarrekeningen``) in the context as
    ``jaarrekeningen``."""

    werkgebied = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delen = serializers.SerializerMethodField()

    class Meta:
        model = Budget
        fields = ["id", "werkgebied", "jaar", "delen", "pagina"]

    @extend_schema_field(BudgetdeelSerializer(many=True))
    def get_delen(self, obj):
        rekeningen = self.context["jaarrekeningen"][obj.pk]
        context = {**self.context, "toegekend": {r.deel.pk: r.toegekend for r in rekeningen}}
        return BudgetdeelSerializer([r.deel for r in rekeningen], many=True, context=context).data
