"""UK postcodes are checked against the Government Data Standards pattern and stored normalised."""

import pytest
from django.core.exceptions import ValidationError

from thinkchild.people.postcodes import (
    is_postcode,
    postcode_normalise,
    postcode_search_prefix,
    validate_postcode,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("pr12ab", "PR1 2AB"),
        ("PR1 2AB", "PR1 2AB"),
        ("  pr1   2ab ", "PR1 2AB"),
        ("m1 1aa", "M1 1AA"),
        ("M60 1NW", "M60 1NW"),
        ("cr26xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 1HQ", "W1A 1HQ"),
        ("ec1a1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_a_good_postcode_is_normalised(typed, stored):
    assert postcode_normalise(typed) == stored
    assert is_postcode(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "PR1",
        "PR1 2A",
        "PR1 2ABC",
        "12 3AB",
        "AZ1 2AB",  # Z is never the second letter of an area
        "PI1 2AB",  # nor is I
        "PR1 AAB",
        "PR1-2AB",
        "not a postcode",
        "GIR 1AA",
    ],
)
def test_a_malformed_postcode_is_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        validate_postcode(typed)
    assert error.value.messages == ["Enter a real postcode, like PR1 2AB"]
    assert not is_postcode(typed)


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("pr12ab", "PR1 2AB"),
        ("pr1", "PR1 "),  # a district: PR1, not PR10
        ("PR1 2", "PR1 2"),
        ("ec1a", "EC1A "),
        ("Mill Lane", None),
        ("12", None),
    ],
)
def test_search_accepts_the_start_of_a_postcode(typed, prefix):
    assert postcode_search_prefix(typed) == prefix
