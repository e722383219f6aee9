"""Filters of the read endpoints (django-filter). A value that is not valid (an unknown
werkgebied, a year that is not a number, a status that does not exist) is a 400 with the field
named, never an empty list that looks like an answer and never a 500."""

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from budgets.models import Budget
from cycle.models import Agendapunt, Fase, Initiatief, Uitvoeringsstatus, Werkcyclus
from participation.models import Melding, Meldingstatus, Thema
from participation.models_bijeenkomsten import Bijeenkomst, Soort
from participation.selectors import openbare_meldingen
from people.models import Cluster
from places.models import Gebied, Werkgebied, Wijk
from publication.models import SOORTEN, Publicatie


@extend_schema_field(OpenApiTypes.INT)
class JaarFilter(df.NumberFilter):
    """A programme year: a whole number the models accept (2000–2100)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("jaar"))
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def _slug_filter(model, field_name: str, label):
    return df.ModelChoiceFilter(
        field_name=field_name,
        queryset=model.objects.all(),
        to_field_name="slug",
        label=label,
    )


def werkgebied_filter(field_name: str = "werkgebied"):
    return _slug_filter(Werkgebied, field_name, _("werkgebied (slug)"))


def gebied_filter(field_name: str = "gebied"):
    return _slug_filter(Gebied, field_name, _("gebied (slug)"))


class WerkgebiedFilter(df.FilterSet):
    gebied = gebied_filter()

    class Meta:
        model = Werkgebied
        fields = ["gebied"]


class WijkFilter(df.FilterSet):
    gebied = gebied_filter()
    werkgebied = werkgebied_filter()

    class Meta:
        model = Wijk
        fields = ["gebied", "werkgebied"]


class CyclusFilter(df.FilterSet):
    werkgebied = werkgebied_filter()
    gebied = gebied_filter("werkgebied__gebied")
    jaar = JaarFilter()
    fase = df.ChoiceFilter(choices=Fase.choices, label=_("fase"))

    class Meta:
        model = Werkcyclus
        fields = ["werkgebied", "gebied", "jaar", "fase"]


class PublicatieFilter(df.FilterSet):
    werkgebied = werkgebied_filter()
    gebied = gebied_filter("werkgebied__gebied")
    jaar = JaarFilter()
    soort = df.ChoiceFilter(choices=SOORTEN, label=_("soort"))

    class Meta:
        model = Publicatie
        fields = ["werkgebied", "gebied", "jaar", "soort"]


class AgendapuntFilter(df.FilterSet):
    werkgebied = werkgebied_filter("wijkagenda__cyclus__werkgebied")
    gebied = gebied_filter("wijkagenda__cyclus__werkgebied__gebied")
    jaar = JaarFilter(field_name="wijkagenda__cyclus__jaar")

    class Meta:
        model = Agendapunt
        fields = ["werkgebied", "gebied", "jaar"]


class ActieFilter(df.FilterSet):
    werkgebied = werkgebied_filter("wijkprogramma__cyclus__werkgebied")
    gebied = gebied_filter("wijkprogramma__cyclus__werkgebied__gebied")
    jaar = JaarFilter(field_name="wijkprogramma__cyclus__jaar")
    status = df.ChoiceFilter(choices=Uitvoeringsstatus.choices, label=_("status"))
    cluster = _slug_filter(Cluster, "cluster", _("cluster (slug)"))

    class Meta:
        model = Initiatief
        fields = ["werkgebied", "gebied", "jaar", "status", "cluster"]


class TwaalfmaandenFilter(df.FilterSet):
    werkgebied = werkgebied_filter()
    gebied = gebied_filter("werkgebied__gebied")
    jaar = JaarFilter()

    class Meta:
        model = Werkcyclus
        fields = ["werkgebied", "gebied", "jaar"]


MELDING_STATUSSEN = [("open", _("open")), *Meldingstatus.choices]


class MeldingFilter(df.FilterSet):
    """The filters of the page /meldingen/ (wijk, thema, status with "open"), applied by the
    page's own selector, and the werkgebied, gebied and year of submission."""

    werkgebied = werkgebied_filter()
    gebied = gebied_filter("wijk__gebied")
    wijk = _slug_filter(Wijk, "wijk", _("wijk (slug)"))
    thema = _slug_filter(Thema, "thema", _("thema (slug)"))
    status = df.ChoiceFilter(choices=MELDING_STATUSSEN, label=_("status"))
    jaar = JaarFilter(field_name="ingediend_op__year", label=_("jaar van indienen"))

    PAGINA_FILTERS = ("wijk", "thema", "status")

    class Meta:
        model = Melding
        fields = ["werkgebied", "gebied", "wijk", "thema", "status", "jaar"]

    def filter_queryset(self, queryset):
        # The view's list is the page's list (``openbare_meldingen()``); the page's filters are
        # the selector's own arguments, so "open" means the same here as there.
        data = self.form.cleaned_data
        queryset = openbare_meldingen(
            wijk=data.get("wijk"), thema=data.get("thema"), status=data.get("status") or ""
        )
        for name, value in data.items():
            if name not in self.PAGINA_FILTERS:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class BudgetFilter(df.FilterSet):
    werkgebied = werkgebied_filter()
    gebied = gebied_filter("werkgebied__gebied")
    jaar = JaarFilter()

    class Meta:
        model = Budget
        fields = ["werkgebied", "gebied", "jaar"]


class BijeenkomstFilter(df.FilterSet):
    werkgebied = werkgebied_filter()
    gebied = gebied_filter("werkgebied__gebied")
    jaar = JaarFilter(field_name="begin__year", label=_("jaar"))
    soort = df.ChoiceFilter(choices=Soort.choices, label=_("soort"))

    class Meta:
        model = Bijeenkomst
        fields = ["werkgebied", "gebied", "jaar", "soort"]
