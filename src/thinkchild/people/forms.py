"""Forms for searching, recording and reading people. They validate; services do the writing."""

from django import forms
from django.core.exceptions import ValidationError

from thinkchild.people.chronology import chronology_providers
from thinkchild.people.models import Gender
from thinkchild.people.selectors import PersonQuery
from thinkchild.people.services import EARLIEST_BIRTH, MAX_ESTIMATED_AGE
from thinkchild.web.forms import GovUKDateField


def _not_before_1900(value) -> None:
    if value is not None and value < EARLIEST_BIRTH:
        raise ValidationError(
            "Date of birth must be after 1 January 1900", params={"parts": ("year",)}
        )


class PersonSearchForm(forms.Form):
    """A GET form, so a search is a link that can be shared, bookmarked and paged."""

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="Family name, or given and family name. The start of a name is enough: jo smi",
    )
    date_of_birth = GovUKDateField(
        label="Date of birth",
        required=False,
        past=True,
        allow_today=True,
        help_text="For example, 27 3 2012",
    )
    address = forms.CharField(
        label="Postcode or address",
        required=False,
        max_length=200,
        help_text="A postcode, the start of one (PR1), or part of the first line of the address",
    )

    def clean(self):
        data = super().clean()
        if self.is_bound and not self.errors and not any(data.values()):
            raise ValidationError("Enter a name, a date of birth or an address to search for")
        return data

    def query(self, *, page="1", outside_scope: bool = False) -> PersonQuery:
        data = self.cleaned_data
        return PersonQuery(
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            address=data.get("address", ""),
            page=page,
            outside_scope=outside_scope,
        )


class PersonCreateForm(forms.Form):
    given_name = forms.CharField(label="Given name", max_length=100)
    family_name = forms.CharField(label="Family name", max_length=100)
    date_of_birth = GovUKDateField(
        label="Date of birth",
        required=False,
        past=True,
        allow_today=True,
        validators=[_not_before_1900],
        help_text="For example, 27 3 2012. Leave blank if it is not known.",
    )
    estimated_age = forms.IntegerField(
        label="Estimated age in years",
        required=False,
        min_value=0,
        max_value=MAX_ESTIMATED_AGE,
        help_text="Only if the date of birth is not known",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "min_value": f"Estimated age must be between 0 and {MAX_ESTIMATED_AGE}",
            "max_value": f"Estimated age must be between 0 and {MAX_ESTIMATED_AGE}",
            "invalid": "Estimated age must be a number, like 14",
        },
    )
    appears_under_18 = forms.BooleanField(
        label="This person appears to be under 18",
        required=False,
        help_text="Tick if you judge them to be a child, whatever their stated age",
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, initial=Gender.UNKNOWN, widget=forms.RadioSelect
    )

    def clean(self):
        data = super().clean()
        if data.get("date_of_birth") and data.get("estimated_age") is not None:
            self.add_error("estimated_age", "Enter a date of birth or an estimated age, not both")
        return data


class ChronologyFilterForm(forms.Form):
    """Filters as GET parameters, so the timeline filters work without JavaScript."""

    kinds = forms.MultipleChoiceField(
        label="Show", required=False, widget=forms.CheckboxSelectMultiple
    )
    date_from = GovUKDateField(label="From", required=False, help_text="For example, 1 9 2025")
    date_to = GovUKDateField(label="To", required=False, help_text="For example, 31 8 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        providers = chronology_providers()
        self.fields["kinds"].choices = [(kind, label) for kind, (label, _) in providers.items()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", ValidationError("The end date must be after the start date"))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "kinds": data.get("kinds") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
