"""GOV.UK markup for every Django form, without a template pack (ADR 0003).

`GovUKFormRenderer` points Django's form API at the templates in web/templates/govuk/forms/, so
`{{ form }}` and `{{ form.field.as_field_group }}` give GOV.UK form groups, labels, hints and error
messages. `GovUKBoundField` works out which GOV.UK component a widget becomes and the classes it
needs. `GovUKDateField` is the GOV.UK date input (day, month, year) with the Design System's
error messages.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

DATE_PARTS = ("day", "month", "year")
# Passed through the widget attrs so the date widget can mark only the parts that are wrong.
_ERROR_PARTS_ATTR = "govuk_error_parts"

_INPUT_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


def widget_kind(widget: forms.Widget) -> str:
    """The GOV.UK component that renders this widget (order matters: subclasses first)."""
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, GovUKDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "group"
    return "input"


class GovUKBoundField(forms.BoundField):
    """A bound field that knows its GOV.UK component. Ids follow Django's own
    (`<id>_helptext`, `<id>_error`), so Django's aria-describedby points at our hint and error."""

    @cached_property
    def govuk_kind(self) -> str:
        return widget_kind(self.field.widget)

    @property
    def govuk_error_parts(self) -> tuple[str, ...]:
        """For a date: the parts (day, month, year) the errors are about; all when unsure."""
        if not self.errors:
            return ()
        parts: list[str] = []
        for error in self.errors.as_data():
            named = (error.params or {}).get("parts")
            if not named:
                return DATE_PARTS
            parts.extend(part for part in named if part not in parts)
        return tuple(part for part in DATE_PARTS if part in parts)

    @property
    def govuk_anchor(self) -> str:
        """The id an error summary links to: the first input a user must correct."""
        if self.govuk_kind in {"radios", "checkboxes"}:
            return f"{self.auto_id}_0"
        if self.govuk_kind == "date":
            first = (self.govuk_error_parts or DATE_PARTS)[0]
            return f"{self.auto_id}_{first}"
        return self.id_for_label or self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        # GOV.UK validates on the server and shows its own messages; the browser's required
        # bubbles would pre-empt them (Design System: "turn off HTML5 validation").
        attrs.pop("required", None)
        return attrs

    def govuk_widget(self) -> SafeString:
        kind = self.govuk_kind
        attrs: dict[str, object] = {}
        if kind in _INPUT_CLASSES:
            base = _INPUT_CLASSES[kind]
            classes = [base, self.field.widget.attrs.get("class", "")]
            if self.errors and kind != "checkbox":
                classes.append(f"{base}--error")
            attrs["class"] = " ".join(c for c in classes if c)
        elif kind == "date":
            attrs[_ERROR_PARTS_ATTR] = self.govuk_error_parts
        return self.as_widget(attrs=attrs)


class GovUKFormRenderer(TemplatesSetting):
    """settings.FORM_RENDERER = "thinkchild.web.forms.GovUKFormRenderer"."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovUKBoundField


class GovUKDateInput(forms.MultiWidget):
    """Three text boxes (day, month, year), as the GOV.UK date input pattern asks.

    `autocomplete="bday"` gives bday-day, bday-month and bday-year, for a date of birth.
    """

    template_name = "govuk/forms/widgets/date_input.html"
    labels = {"day": "Day", "month": "Month", "year": "Year"}
    widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None, autocomplete: str | None = None):
        self.autocomplete = autocomplete
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = attrs.pop(_ERROR_PARTS_ATTR, ())
        attrs.pop("aria-invalid", None)
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            classes = [
                "govuk-input",
                "govuk-date-input__input",
                f"govuk-input--width-{self.widths[part]}",
            ]
            if part in error_parts:
                classes.append("govuk-input--error")
                sub_attrs["aria-invalid"] = "true"
            sub_attrs["class"] = " ".join(classes)
            if base_id:
                sub_attrs["id"] = f"{base_id}_{part}"
            if self.autocomplete:
                sub_attrs["autocomplete"] = f"{self.autocomplete}-{part}"
            subwidget["part"] = part
            subwidget["label"] = self.labels[part]
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class GovUKDateField(forms.Field):
    """A date entered as day, month and year, with the GOV.UK Design System's error messages.

    `past=True` refuses today and later ("must be in the past"); add `allow_today=True` to accept
    today ("must be today or in the past"). `future=True` is the mirror image. `subject` names the
    date in messages ("Date of birth must be a real date"); it defaults to the label.
    """

    widget = GovUKDateInput

    def __init__(
        self,
        *,
        past: bool = False,
        future: bool = False,
        allow_today: bool = False,
        subject: str | None = None,
        **kwargs,
    ):
        self.past = past
        self.future = future
        self.allow_today = allow_today
        self.subject = subject
        super().__init__(**kwargs)

    @property
    def _subject(self) -> str:
        return str(self.subject or self.label or "Date")

    def _error(self, message: str, code: str, parts) -> ValidationError:
        return ValidationError(message, code=code, params={"parts": tuple(parts)})

    def to_python(self, value):
        if value is None or isinstance(value, dt.date):
            return value
        entered = dict(zip(DATE_PARTS, (str(v or "").strip() for v in value), strict=False))
        if not any(entered.values()):
            return None
        subject = self._subject
        missing = [part for part in DATE_PARTS if not entered.get(part)]
        if missing:
            raise self._error(f"{subject} must include a {_join(missing)}", "incomplete", missing)
        not_numbers = [part for part in DATE_PARTS if not entered[part].isdigit()]
        if not_numbers:
            raise self._error(f"{subject} must be a real date", "invalid", not_numbers)
        day, month, year = (int(entered[part]) for part in DATE_PARTS)
        if len(entered["year"]) != 4:
            raise self._error("Year must include 4 numbers", "invalid_year", ["year"])
        if not 1 <= month <= 12:
            raise self._error(f"{subject} must be a real date", "invalid", ["month"])
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self._error(f"{subject} must be a real date", "invalid", ["day"]) from None

    def validate(self, value):
        subject = self._subject
        if value is None:
            if self.required:
                lowered = subject[:1].lower() + subject[1:]
                raise self._error(f"Enter {lowered}", "required", DATE_PARTS)
            return
        today = timezone.localdate()
        if self.past and (value > today or (value == today and not self.allow_today)):
            ending = "today or in the past" if self.allow_today else "in the past"
            raise self._error(f"{subject} must be {ending}", "not_past", DATE_PARTS)
        if self.future and (value < today or (value == today and not self.allow_today)):
            ending = "today or in the future" if self.allow_today else "in the future"
            raise self._error(f"{subject} must be {ending}", "not_future", DATE_PARTS)
