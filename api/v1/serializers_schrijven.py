"""Input and output of the write endpoints of /api/v1/. The input serializers do the first
checks the page's forms do (types, lengths, ranges, absurd dates), with the same Dutch messages
and field names; the services check everything again, and what they refuse comes back under
the same field names."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cycle.models import Knelpunt, Toezegging, Uitvoeringsstatus, Voortgang

# A date before 1900 or after 2100 is a typing error (the forms refuse it too).
MIN_JAAR, MAX_JAAR = 1900, 2100
DATUM_FOUT = _("Vul een geldige datum in (JJJJ-MM-DD).")
PERCENTAGE_FOUT = _("Vul een percentage tussen 0 en 100 in.")
MAX_LENGTE = _("Maximaal {max_length} tekens.")


def _tekst(**kwargs):
    messages = {"max_length": MAX_LENGTE, "invalid": _("Vul tekst in.")}
    messages.update(kwargs.pop("error_messages", {}))
    return serializers.CharField(error_messages=messages, **kwargs)


class _Datum(serializers.DateField):
    default_error_messages = {
        "invalid": DATUM_FOUT,
        "datetime": DATUM_FOUT,
        "make_aware": DATUM_FOUT,
    }

    def to_internal_value(self, value):
        # A year as a number, a list or an object is not a date (DRF would try some of these).
        if not isinstance(value, str) or len(value) > 40:
            self.fail("invalid")
        datum = super().to_internal_value(value)
        if not MIN_JAAR <= datum.year <= MAX_JAAR:
            self.fail("invalid")
        return datum


class _Percentage(serializers.IntegerField):
    default_error_messages = {
        "invalid": PERCENTAGE_FOUT,
        "max_value": PERCENTAGE_FOUT,
        "min_value": PERCENTAGE_FOUT,
        "max_string_length": PERCENTAGE_FOUT,
    }

    def to_internal_value(self, data):
        # true is not 1 and 40.5 is not 40.
        if isinstance(data, bool) or (isinstance(data, float) and not data.is_integer()):
            self.fail("invalid")
        return super().to_internal_value(data)


class VoortgangInSerializer(serializers.Serializer):
    """One progress update, as on the initiative's page: what happened (required), and
    optionally the date it is about (not after today), a percentage, a milestone and a new
    execution status (with ``verwacht_eind`` when delayed, ``stopreden`` when stopped)."""

    tekst = _tekst(
        max_length=3000,
        error_messages={
            "required": _("Schrijf kort wat er gebeurd is."),
            "blank": _("Schrijf kort wat er gebeurd is."),
            "null": _("Schrijf kort wat er gebeurd is."),
        },
    )
    datum = _Datum(required=False, allow_null=True)
    percentage = _Percentage(required=False, allow_null=True, min_value=0, max_value=100)
    mijlpaal = _tekst(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=Uitvoeringsstatus.choices,
        required=False,
        allow_null=True,
        allow_blank=True,
        error_messages={"invalid_choice": _("Onbekende status: kies uit {choices}.")},
    )
    verwacht_eind = _Datum(required=False, allow_null=True)
    stopreden = _tekst(max_length=3000, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ``{choices}`` in the message names the values a client may send.
        self.fields["status"].error_messages["invalid_choice"] = str(
            self.fields["status"].error_messages["invalid_choice"]
        ).replace("{choices}", ", ".join(Uitvoeringsstatus.values))

    def validate_datum(self, datum):
        if datum is not None and datum > timezone.localdate():
            raise serializers.ValidationError(
                _("Een update gaat over wat er al gebeurd is: niet na vandaag.")
            )
        return datum

    def update_velden(self) -> dict:
        """The input as keyword arguments of ``cycle.services_programma.Update``."""
        data = self.validated_data
        return {
            "tekst": data["tekst"],
            "datum": data.get("datum"),
            "percentage": data.get("percentage"),
            "mijlpaal": data.get("mijlpaal") or "",
            "status": data.get("status") or None,
            "verwacht_eind": data.get("verwacht_eind"),
            "stopreden": data.get("stopreden") or "",
        }


class VoortgangUitSerializer(serializers.ModelSerializer):
    initiatief = serializers.IntegerField(source="initiatief_id")
    versie = serializers.IntegerField(
        source="initiatief.versie",
        help_text=_("De nieuwe versie van het initiatief (ook in de kop ETag)."),
    )

    class Meta:
        model = Voortgang
        fields = [
            "id",
            "initiatief",
            "datum",
            "percentage",
            "mijlpaal",
            "tekst",
            "status",
            "versie",
        ]


class ToezeggenInSerializer(serializers.Serializer):
    """The owner commits. Without ``trekker_naam`` the trekker the drafter named stays."""

    trekker_naam = _tekst(
        max_length=150,
        required=False,
        error_messages={"blank": _("Noem de trekker: wie zorgt dat dit gebeurt?")},
    )
    trekker_email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, of laat het veld leeg.")},
    )


class AfwijzenInSerializer(serializers.Serializer):
    """The owner declines, with the reason the drafter needs."""

    reden = _tekst(
        max_length=3000,
        error_messages={
            "required": _("Zeg waarom: de opsteller moet er iets mee kunnen."),
            "blank": _("Zeg waarom: de opsteller moet er iets mee kunnen."),
            "null": _("Zeg waarom: de opsteller moet er iets mee kunnen."),
        },
    )


class ToezeggingUitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    toezegging = serializers.ChoiceField(choices=Toezegging.choices)
    toezegging_reden = serializers.CharField()
    trekker_naam = serializers.CharField()
    versie = serializers.IntegerField(
        help_text=_("De nieuwe versie van het initiatief (ook in de kop ETag).")
    )


class KnelpuntInSerializer(serializers.Serializer):
    beschrijving = _tekst(
        max_length=3000,
        error_messages={
            "required": _("Beschrijf wat er in de weg zit."),
            "blank": _("Beschrijf wat er in de weg zit."),
            "null": _("Beschrijf wat er in de weg zit."),
        },
    )


class KnelpuntUitSerializer(serializers.ModelSerializer):
    initiatief = serializers.IntegerField(source="initiatief_id")
    open = serializers.BooleanField(source="is_open")

    class Meta:
        model = Knelpunt
        fields = ["id", "initiatief", "beschrijving", "open"]
