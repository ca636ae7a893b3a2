from django import forms

from thinkchild.access.models import Operation
from thinkchild.access.scope import REASON_MIN_LENGTH
from thinkchild.web.forms import GovUKDateField


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text=(
            "This record is outside your area, team and allocations. Your reason is kept in the "
            "processing log with your name and the time, and may be reviewed."
        ),
        min_length=REASON_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": f"Reason must be {REASON_MIN_LENGTH} characters or more",
            "max_length": "Reason must be 2000 characters or fewer",
        },
    )


class ProcessingLogFilterForm(forms.Form):
    subject_type = forms.CharField(required=False, widget=forms.HiddenInput)
    subject_id = forms.UUIDField(
        required=False,
        label="Record id",
        help_text="The id of a person or incident, shown on its page",
        error_messages={"invalid": "Enter a record id in the format shown on the record's page"},
    )
    actor = forms.CharField(
        required=False, label="User", help_text="Name, username or collar number", max_length=100
    )
    operation = forms.ChoiceField(
        required=False,
        label="Operation",
        choices=[("", "Any operation"), *Operation.choices],
    )
    date_from = GovUKDateField(required=False, label="From", subject="The 'from' date")
    date_to = GovUKDateField(required=False, label="To", subject="The 'to' date")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data
