import datetime as dt

from django import forms
from django.utils import timezone

from thinkchild.investigations.models import Grade, InvestigationType
from thinkchild.web.forms import GovUKDateField

NDM_LABELS = {
    "information": "Information: what is known, and what is not",
    "assessment": "Assessment: the threat and risk",
    "powers": "Powers and policy",
    "options": "Options considered",
    "action": "Action, and when it will be reviewed",
}


class SupervisionReviewForm(forms.Form):
    reviewed_on = GovUKDateField(label="Date of the review", subject="The date of the review")
    reviewed_time = forms.TimeField(
        label="Time of the review",
        help_text="24-hour clock, for example 14:30",
        error_messages={
            "required": "Enter the time of the review",
            "invalid": "Enter a time like 14:30",
        },
    )
    risks_considered = forms.CharField(
        label="Risks considered", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision = forms.CharField(label="Decision", required=False, max_length=2000)
    next_review_by = GovUKDateField(label="Next review by", subject="The next review date")
    work_description = forms.CharField(label="Further work required", required=False)
    work_owner = forms.ModelChoiceField(queryset=None, required=False, label="Owner of the work")
    work_due_on = GovUKDateField(label="Work due by", required=False, subject="The work's due date")
    backdated_reason = forms.CharField(
        label="If the review was more than a day ago, why is it recorded now?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, team_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_owner"].queryset = team_members
        for stage, label in NDM_LABELS.items():
            self.fields[f"ndm_{stage}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        data = super().clean()
        if data.get("work_description") and not (
            data.get("work_owner") and data.get("work_due_on")
        ):
            self.add_error("work_description", "Give the further work an owner and a due date")
        return data

    def reviewed_at(self) -> dt.datetime:
        day, time = self.cleaned_data["reviewed_on"], self.cleaned_data["reviewed_time"]
        return timezone.make_aware(dt.datetime.combine(day, time))


class ReviewGradeForm(forms.Form):
    grade = forms.ChoiceField(choices=Grade.choices, widget=forms.RadioSelect, label="Grade")
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        error_messages={
            "required": "Give the reasons for the grade",
            "min_length": "Reasons must be 10 characters or more",
        },
    )


class InvestigationOpenForm(forms.Form):
    incident_reference = forms.CharField(
        label="Incident reference",
        help_text="The incident's victims and suspects become the investigation's",
        max_length=40,
        error_messages={"required": "Enter the reference of the incident being investigated"},
    )
    type = forms.ChoiceField(label="Type of investigation", choices=InvestigationType.choices)
    team = forms.ModelChoiceField(queryset=None, label="Allocate to team")
    override_reason = forms.CharField(
        label="If the rules advise another kind of team, why this one?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class ReallocationForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, label="Team")
    officer = forms.ModelChoiceField(queryset=None, label="Officer", required=False)
    reason = forms.CharField(
        label="Why is it being reallocated?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the investigation is being reallocated"},
    )

    def __init__(self, *args, teams, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["officer"].queryset = officers
