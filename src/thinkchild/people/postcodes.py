"""UK postcodes: validation and the normalised form we store ("pr12ab" -> "PR1 2AB").

The pattern is the UK Government Data Standards Catalogue's postcode regular expression (which
accepts the special case GIR 0AA, the old Girobank postcode). It checks the shape of a postcode, not
that Royal Mail issued it: an address file lookup would need data we do not hold.
"""

import re

from django.core.exceptions import ValidationError

# The Government Data Standards expression, anchored, applied to the upper-cased normalised form.
_POSTCODE = re.compile(
    r"^(GIR 0AA|"
    r"(([A-Z][0-9]{1,2})|(([A-Z][A-HJ-Y][0-9]{1,2})|(([A-Z][0-9][A-Z])|"
    r"([A-Z][A-HJ-Y][0-9][A-Z]?)))) [0-9][A-Z]{2})$"
)
# The start of a postcode as someone searching types it: an outward code, perhaps with the
# inward code begun ("PR1", "PR1 2").
_PREFIX = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( ?[0-9][A-Z]{0,2})?$")

INVALID_MESSAGE = "Enter a real postcode, like PR1 2AB"


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def postcode_normalise(value: str) -> str:
    """The stored form: upper case, one space before the inward code. Raises ValidationError."""
    compact = _compact(value)
    candidate = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
    if not _POSTCODE.match(candidate):
        raise ValidationError(INVALID_MESSAGE, code="invalid_postcode", params={"value": value})
    return candidate


def is_postcode(value: str) -> bool:
    try:
        postcode_normalise(value)
    except ValidationError:
        return False
    return True


def validate_postcode(value: str) -> None:
    """A Django validator for model and form fields."""
    postcode_normalise(value)


def postcode_search_prefix(value: str) -> str | None:
    """What to match stored postcodes against, or None when the text is not a postcode's start.

    A full postcode is normalised ("pr12ab" -> "PR1 2AB"); a partial one keeps the space the user
    typed ("PR1 2" matches "PR1 2AB"). An outward code alone means that district, so "PR1" matches
    "PR1 2AB" but not "PR10 1AA".
    """
    if is_postcode(value):
        return postcode_normalise(value)
    text = re.sub(r"\s+", " ", (value or "").strip().upper())
    if not text or not _PREFIX.match(text):
        return None
    return text if " " in text else f"{text} "
