import datetime as dt

from django import forms
from django.db.models import Q

from thinkchild.org.models import Role
from thinkchild.standards import selectors
from thinkchild.standards.models import OPEN_STATUSES
from thinkchild.standards.registry import Parameter, standards
from thinkchild.web.forms import GovUKDateField


class PolicyChangeForm(forms.Form):
    """A new value for one parameter (one number, or one per option), from a date, with a reason."""

    effective_from = GovUKDateField(
        label="Takes effect from",
        help_text="Today or later. Obligations opened before then keep the value in force then.",
        subject="The date it takes effect",
    )
    reason = forms.CharField(
        label="Why is the policy changing?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the policy is changing",
            "min_length": "Reason must be 10 characters or more",
        },
    )

    def __init__(self, *args, parameter: Parameter, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.parameter = parameter
        if parameter.choices:
            self.fields = {
                "value_value": forms.ChoiceField(
                    label=parameter.title,
                    choices=parameter.choices,
                    initial=current,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose one"},
                ),
                **self.fields,
            }
            return
        labels = parameter.options or (("value", parameter.title),)
        values = current if parameter.options else {"value": current}
        for key, label in reversed(labels):
            self.fields = {
                f"value_{key}": forms.FloatField(
                    label=f"{label} ({parameter.unit})" if parameter.unit else label,
                    initial=values.get(key),
                    error_messages={
                        "required": f"Enter a number for {label.lower()}",
                        "invalid": f"Enter a number for {label.lower()}",
                    },
                ),
                **self.fields,
            }

    def value(self):
        """The value as the parameter stores it: a number, or a number per option."""

        def number(x: float):
            return int(x) if float(x).is_integer() else x

        if self.parameter.choices:
            return self.cleaned_data["value_value"]
        if self.parameter.options:
            return {k: number(self.cleaned_data[f"value_{k}"]) for k, _ in self.parameter.options}
        return number(self.cleaned_data["value_value"])


def _standard_choices(first: str) -> list[tuple[str, str]]:
    return [("", first), *((sid, s.title) for sid, s in standards().items())]


class QueueFilterForm(forms.Form):
    standard = forms.ChoiceField(label="Standard", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open and overdue"), *((s.value, s.label) for s in OPEN_STATUSES)],
    )
    officer = forms.ModelChoiceField(
        label="Officer", required=False, queryset=None, empty_label="Any officer"
    )
    team = forms.ModelChoiceField(
        label="Team", required=False, queryset=None, empty_label="Any team"
    )
    child = forms.UUIDField(
        label="Child's record id",
        required=False,
        help_text="Shown on the child's page, or follow a child's name in the list",
        error_messages={"invalid": "Enter a record id in the format shown on the child's page"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = _standard_choices("Any standard")
        self.fields["officer"].queryset = selectors.officers_in_scope(user=user)
        self.fields["team"].queryset = selectors.teams_in_scope(user=user)
        if user.role in (Role.OFFICER, Role.SUPERVISOR):
            # Their queue is one team's (or their own): nothing to choose between.
            del self.fields["team"]
        if user.role == Role.OFFICER:
            del self.fields["officer"]
        elif user.role != Role.SUPERVISOR:
            # An area or a force holds hundreds or thousands of officers: typed, not picked.
            self.fields["officer"] = forms.CharField(
                label="Officer",
                required=False,
                help_text="Collar number or username",
                max_length=150,
            )
            self._officers = selectors.officers_in_scope(user=user)

    def clean_officer(self):
        value = self.cleaned_data.get("officer")
        if not isinstance(value, str):
            return value
        value = value.strip()
        if not value:
            return None
        found = self._officers.filter(
            Q(collar_number__iexact=value) | Q(username__iexact=value)
        ).first()
        if found is None:
            raise forms.ValidationError(
                "No officer in your scope has that collar number or username"
            )
        return found

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        officer, team = data.get("officer"), data.get("team")
        return {
            "standard_id": data["standard"] or None,
            "status": data["status"] or None,
            "officer_id": officer.pk if officer else None,
            "team_id": team.pk if team else None,
            "child_id": data["child"],
        }


def _month_choices(today: dt.date) -> list[tuple[str, str]]:
    """Two years back to three months ahead (open obligations fall due in months to come)."""
    month = dt.date(today.year - 2, today.month, 1)
    last = dt.date(today.year + (today.month + 2) // 12, (today.month + 2) % 12 + 1, 1)
    choices = []
    while month <= last:
        choices.append((f"{month:%Y-%m}", f"{month:%B %Y}"))
        month = selectors.month_after(month)
    return choices


def month_parse(value: str) -> dt.date:
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


class ComplianceFilterForm(forms.Form):
    month_from = forms.ChoiceField(label="From")
    month_to = forms.ChoiceField(label="To")

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("month_from", "month_to"):
            self.fields[name].choices = _month_choices(today)

    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and first > last:
            self.add_error("month_to", "The last month must be the same as or after the first")
        return data


class DrillDownForm(forms.Form):
    """The number behind a drill-down: a standard, a team (or none), a month and a status."""

    standard = forms.CharField(max_length=100)
    team = forms.UUIDField(required=False)
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "All"), *((s.value, s.label) for s in selectors.COUNTED_STATUSES)],
    )

    def query(self) -> dict:
        data = self.cleaned_data
        return {
            "standard_id": data["standard"],
            "team_id": data["team"],
            "month": month_parse(data["month"]),
            "status": data["status"] or None,
        }
