"""Incident forms: GOV.UK markup comes from the web form renderer; these hold the questions."""

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from thinkchild.incidents.models import IncidentType, ParticipantRole
from thinkchild.incidents.services import LONDON
from thinkchild.org.models import Area
from thinkchild.people.postcodes import postcode_normalise
from thinkchild.web.forms import GovUKDateField

NEW_ADDRESS = "new"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")


def _types():
    return IncidentType.objects.filter(is_active=True)


class IncidentSearchForm(forms.Form):
    reference = forms.CharField(label="Reference", required=False, max_length=40)
    incident_type = forms.ModelChoiceField(
        label="Type", queryset=IncidentType.objects.none(), required=False, empty_label="Any type"
    )
    date_from = GovUKDateField(label="From", required=False, help_text="For example, 27 3 2026")
    date_to = GovUKDateField(label="To", required=False, help_text="For example, 31 3 2026")
    has_child = forms.BooleanField(label="Involves a child", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident_type"].queryset = _types()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> dict:
        """The keyword arguments for incidents.selectors.incident_search."""
        data = self.cleaned_data
        return {
            "reference": data.get("reference") or None,
            "incident_type": data.get("incident_type"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            # Unticked means "any incident", not "incidents without a child".
            "has_child": True if data.get("has_child") else None,
        }


class IncidentForm(forms.Form):
    """A new incident. The address is either one already known at the postcode, or a new one."""

    incident_type = forms.ModelChoiceField(
        label="Type of incident",
        queryset=IncidentType.objects.none(),
        empty_label="Choose a type",
        error_messages={"required": "Select the type of incident"},
    )
    occurred_on = GovUKDateField(
        label="Date of the incident",
        subject="Date of the incident",
        past=True,
        allow_today=True,
        help_text="For example, 27 3 2026",
    )
    occurred_time = forms.CharField(
        label="Time of the incident",
        help_text="Use the 24-hour clock, for example 21:15",
        max_length=5,
        error_messages={"required": "Enter the time of the incident"},
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.none(),
        empty_label="Choose an area",
        error_messages={"required": "Select the area the incident happened in"},
    )
    postcode = forms.CharField(
        label="Postcode of the address",
        max_length=8,
        error_messages={"required": "Enter the postcode of the address"},
    )
    location = forms.ChoiceField(
        label="Address",
        required=False,
        widget=forms.RadioSelect,
        help_text="Choose an address we already know, or enter a new one below",
    )
    line1 = forms.CharField(
        label="New address: building and street", required=False, max_length=200
    )
    town = forms.CharField(label="New address: town or city", required=False, max_length=100)
    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what happened"},
    )

    def __init__(self, *args, user, known_locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident_type"].queryset = _types()
        self.fields["area"].queryset = Area.objects.filter(force_id=user.force_id)
        if user.area and not self.is_bound:
            self.initial.setdefault("area", user.area.pk)
        self.known_locations = {str(loc.pk): loc for loc in known_locations}
        if self.known_locations:
            self.fields["location"].choices = [
                *((pk, str(loc)) for pk, loc in self.known_locations.items()),
                (NEW_ADDRESS, "A new address"),
            ]
        else:
            # Nothing known at this postcode yet: the new-address fields are the only way.
            del self.fields["location"]

    def clean_occurred_time(self) -> time:
        match = _TIME.match(self.cleaned_data["occurred_time"].strip())
        if not match:
            raise ValidationError("Enter the time as hours and minutes, like 21:15")
        return time(int(match[1]), int(match[2]))

    def clean_postcode(self) -> str:
        return postcode_normalise(self.cleaned_data["postcode"])

    def clean(self):
        data = super().clean()
        day, at = data.get("occurred_on"), data.get("occurred_time")
        if day and at:
            occurred_at = datetime.combine(day, at, tzinfo=LONDON)
            if occurred_at > timezone.now():
                self.add_error("occurred_time", "The time of the incident must be in the past")
            data["occurred_at"] = occurred_at
        chosen = data.get("location")
        data["existing_location"] = self.known_locations.get(chosen) if chosen else None
        if data["existing_location"] is None and not (data.get("line1") or "").strip():
            self.add_error(
                "line1", "Enter the building and street, or choose an address we already know"
            )
        return data


class PersonFindForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="A family name, or a given name and a family name",
        error_messages={"required": "Enter a name to search for"},
    )


class ParticipantForm(forms.Form):
    person = forms.ChoiceField(
        label="Person", error_messages={"required": "Select the person who took part"}
    )
    role = forms.ChoiceField(
        label="Their role in the incident",
        choices=ParticipantRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the incident"},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["person"].choices = [
            ("", "Choose a person"),
            *((pk, _describe(p)) for pk, p in self.people.items()),
        ]

    def clean_person(self):
        return self.people[self.cleaned_data["person"]]


def _describe(person) -> str:
    born = f", born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    return f"{person.full_name}{born}"
