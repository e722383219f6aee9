from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.bedragen import euro, parse_bedrag


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("1234", "1234.00"),
        ("1234,5", "1234.50"),
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("€ 1.234.567,89", "1234567.89"),
        ("1.234", "1234.00"),
        (" 12,00 ", "12.00"),
        ("0,01", "0.01"),
    ],
)
def test_accepted(tekst, verwacht):
    assert parse_bedrag(tekst) == Decimal(verwacht)


@pytest.mark.parametrize(
    ("tekst", "code"),
    [
        ("", "leeg"),
        ("-5", "negatief"),
        ("-1.234,56", "negatief"),
        ("0", "nul"),
        ("0,00", "nul"),
        ("12,345", "te_precies"),
        ("1234.567", "te_precies"),
        ("1,2,3", "ongeldig"),
        ("12a", "ongeldig"),
        ("1e5", "ongeldig"),
        ("NaN", "ongeldig"),
        ("Infinity", "ongeldig"),
        ("1.23.4", "ongeldig"),
        ("10000000,01", "te_groot"),
        ("9" * 40, "te_groot"),
    ],
)
def test_refused_with_a_dutch_message(tekst, code):
    with pytest.raises(ValidationError) as error:
        parse_bedrag(tekst)
    assert error.value.code == code
    assert error.value.messages[0].startswith(("Vul", "Een bedrag"))


def test_decimals_from_code_are_checked_too():
    assert parse_bedrag(Decimal("5.5")) == Decimal("5.50")
    with pytest.raises(ValidationError):
        parse_bedrag(Decimal("0.001"))
    with pytest.raises(TypeError):
        parse_bedrag(1.5)


def test_euro():
    assert euro(Decimal("1234567.8")) == "€ 1.234.567,80"
    assert euro(Decimal("-5")) == "-€ 5,00"
    assert euro(Decimal("0")) == "€ 0,00"
