"""The quarantine's questions: which entries to list, and the corrected line to import again."""

import json

from django import forms

from thinkchild.interchange.models import QuarantineStatus


class QuarantineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open (rejected or held)"), *QuarantineStatus.choices, ("all", "Any")],
    )
    record_type = forms.ChoiceField(label="Record type", required=False)
    run = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, record_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "Any type"), *((t, t) for t in record_types)]


class QuarantineFixForm(forms.Form):
    raw = forms.CharField(
        label="The record",
        help_text="Correct the JSON and import it again: it is checked as if it came in a file.",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    def clean_raw(self):
        raw = self.cleaned_data["raw"].strip()
        if "\n" in raw:
            # One record is one line: a pasted, pretty-printed record is folded back into one.
            try:
                raw = json.dumps(json.loads(raw), ensure_ascii=False)
            except json.JSONDecodeError:
                raw = " ".join(line.strip() for line in raw.splitlines())
        return raw
