from django import forms

from thinkchild.standards.registry import Parameter
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
