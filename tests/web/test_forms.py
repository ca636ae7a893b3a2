"""GOV.UK markup from Django's form API (GovUKFormRenderer) and the GOV.UK date input."""

import datetime as dt
import re

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string

from thinkchild.web.forms import GovUKDateField, GovUKDateInput

TODAY = dt.date(2026, 11, 26)


class IncidentForm(forms.Form):
    summary = forms.CharField(label="Summary", help_text="What happened, in a sentence")
    email = forms.EmailField(label="Email address", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Type", choices=[("", "Choose"), ("da", "Domestic abuse")])
    risk = forms.ChoiceField(
        label="Risk", choices=[("low", "Low"), ("high", "High")], widget=forms.RadioSelect
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies told",
        choices=[("school", "School"), ("health", "Health")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    urgent = forms.BooleanField(label="Urgent", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("email") == "nobody@example.com":
            raise forms.ValidationError("That person cannot be contacted")
        return data


class BirthForm(forms.Form):
    date_of_birth = GovUKDateField(label="Date of birth", past=True)


def form_groups(html: str) -> list[str]:
    return re.findall(r'<div class="govuk-form-group[^"]*">', html)


def test_an_unbound_form_renders_govuk_form_groups():
    html = str(IncidentForm())

    assert len(form_groups(html)) == 7  # the hidden field gets none
    assert '<label class="govuk-label" for="id_summary">Summary</label>' in html
    assert (
        '<div id="id_summary_helptext" class="govuk-hint">What happened, in a sentence</div>'
        in html
    )
    assert 'class="govuk-input" aria-describedby="id_summary_helptext"' in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-select"' in html
    assert 'class="govuk-radios__input" id="id_risk_0" name="risk" type="radio" value="low"' in html
    assert 'class="govuk-checkboxes__input" id="id_agencies_1"' in html
    assert '<legend class="govuk-fieldset__legend">Risk</legend>' in html
    assert 'type="hidden" name="token"' in html
    assert "govuk-error-message" not in html


def test_an_invalid_form_shows_govuk_errors_on_each_field():
    form = IncidentForm(data={"summary": "", "kind": "", "email": "not an email"})

    html = str(form)

    assert html.count("govuk-form-group--error") == 4  # summary, email, kind, risk
    assert (
        '<p id="id_summary_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_summary_helptext id_summary_error"' in html
    assert 'class="govuk-select govuk-select--error"' in html
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_risk_error">' in html


def test_the_browser_is_not_asked_to_validate_before_the_server():
    html = str(IncidentForm(data={}))

    assert not re.search(r"<(input|select|textarea)[^>]* required", html)


def test_choices_the_user_made_are_kept_when_the_form_comes_back():
    form = IncidentForm(data={"risk": "high", "agencies": ["health"], "urgent": "on"})

    html = str(form)

    assert re.search(r'id="id_risk_1"[^>]*value="high" checked', html)
    assert re.search(r'id="id_agencies_1"[^>]*value="health" checked', html)
    assert re.search(r'<input type="checkbox" name="urgent"[^>]*checked', html)


def error_summary(form) -> str:
    return render_to_string("components/govuk/error_summary.html", {"form": form})


def test_error_summary_links_each_error_to_the_input_to_correct():
    form = IncidentForm(data={"summary": "", "email": "nobody@example.com"})
    form.is_valid()

    html = error_summary(form)

    assert 'data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert '<a href="#id_summary">This field is required.</a>' in html
    assert '<a href="#id_risk_0">This field is required.</a>' in html  # first radio
    assert "<li>That person cannot be contacted</li>" in html  # no field to link to


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert error_summary(IncidentForm()).strip() == ""


# --- The date input -----------------------------------------------------------------------------


def birth_form(day="", month="", year=""):
    return BirthForm(
        data={"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of birth"),
        ("31", "2", "2015", "Date of birth must be a real date"),
        ("3", "13", "2015", "Date of birth must be a real date"),
        ("x", "2", "2015", "Date of birth must be a real date"),
        ("12", "", "2015", "Date of birth must include a month"),
        ("", "", "2015", "Date of birth must include a day and month"),
        ("1", "2", "15", "Year must include 4 numbers"),
        ("27", "11", "2026", "Date of birth must be in the past"),
        ("26", "11", "2026", "Date of birth must be in the past"),
    ],
)
def test_date_errors_say_what_is_wrong(day, month, year, message):
    form = birth_form(day, month, year)

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


@time_machine.travel(TODAY)
def test_a_real_date_in_the_past_is_accepted():
    form = birth_form(" 7 ", "03", "2015")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2015, 3, 7)


@time_machine.travel(TODAY)
def test_today_is_accepted_when_allowed():
    field = GovUKDateField(label="Date of the incident", past=True, allow_today=True)

    assert field.clean(["26", "11", "2026"]) == TODAY
    with pytest.raises(forms.ValidationError, match="must be today or in the past"):
        field.clean(["27", "11", "2026"])


def test_an_optional_date_left_blank_is_none():
    assert GovUKDateField(required=False).clean(["", "", ""]) is None


def test_date_input_renders_day_month_and_year_inside_a_fieldset():
    html = str(BirthForm())

    assert '<fieldset class="govuk-fieldset" role="group">' in html
    assert '<legend class="govuk-fieldset__legend">Date of birth</legend>' in html
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert f'name="date_of_birth_{part}"' in html
        assert f'id="id_date_of_birth_{part}"' in html
        assert f"govuk-input--width-{width}" in html
    assert 'inputmode="numeric"' in html


@time_machine.travel(TODAY)
def test_only_the_part_that_is_missing_is_marked_and_linked():
    form = birth_form("12", "", "2015")
    form.is_valid()

    html = str(form)

    assert html.count("govuk-input--error") == 1
    assert re.search(r'<input [^>]*name="date_of_birth_month"[^>]*govuk-input--error', html)
    assert 'value="12"' in html and 'value="2015"' in html  # what was typed comes back
    assert '<a href="#id_date_of_birth_month">' in error_summary(form)


@time_machine.travel(TODAY)
def test_a_date_that_is_wrong_as_a_whole_marks_all_three_parts():
    form = birth_form("27", "11", "2026")
    form.is_valid()

    assert str(form).count("govuk-input--error") == 3
    assert '<a href="#id_date_of_birth_day">' in error_summary(form)


def test_an_initial_date_is_split_into_its_parts():
    html = str(BirthForm(initial={"date_of_birth": dt.date(2014, 6, 9)}))

    assert re.search(r'name="date_of_birth_day" value="9"', html)
    assert re.search(r'name="date_of_birth_month" value="6"', html)
    assert re.search(r'name="date_of_birth_year" value="2014"', html)


def test_a_date_of_birth_can_ask_the_browser_to_fill_it_in():
    html = GovUKDateInput(autocomplete="bday").render("dob", None, attrs={"id": "dob"})

    assert 'autocomplete="bday-day"' in html and 'autocomplete="bday-year"' in html
