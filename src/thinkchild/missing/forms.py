"""Forms for missing children's pages. They check what a form can check (a date is a date, a
required answer is given); the services decide everything else and refuse with a reason."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from thinkchild.missing import services
from thinkchild.missing.models import EnquiryKind, InterviewMethod, KnownRisk, MissingFrom
from thinkchild.standards.rationale import MODELS
from thinkchild.web.forms import GovUKDateField

SOURCE_ROWS = 3
SOURCE_PARTS = ("information", "source", "contact", "obtained_on", "obtained_time")
TIME_HINT = "24-hour clock, for example 14:30"


def _text(label: str, *, required: bool = False, rows: int = 0, help_text: str = "", **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label, required=required, widget=widget, help_text=help_text, **kwargs
    )


def _date(label: str, subject: str, *, required: bool = True, past: bool = True):
    return GovUKDateField(
        label=label,
        subject=subject,
        required=required,
        past=past,
        allow_today=True,
        help_text="For example, 27 3 2026",
    )


def _time(label: str, subject: str, *, required: bool = True):
    return forms.TimeField(
        label=label,
        required=required,
        help_text=TIME_HINT,
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": f"Enter {subject[:1].lower()}{subject[1:]}",
            "invalid": "Enter a time like 14:30",
        },
    )


def now_initial(*names: str, at: dt.datetime | None = None) -> dict:
    """Initial values that put each moment `name` (`<name>_on`, `<name>_time`) at `at` or now."""
    local = timezone.localtime(at or timezone.now())
    initial = {}
    for name in names:
        initial[f"{name}_on"] = local.date()
        initial[f"{name}_time"] = local.time().replace(second=0, microsecond=0)
    return initial


class MomentsForm(forms.Form):
    """A form whose moments are each a GOV.UK date and a time: `<name>_on` and `<name>_time`.

    `moments` names them; a moment given by half (a date without its time) is an error."""

    moments: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for name in self.moments:
            day, time = f"{name}_on", f"{name}_time"
            if day in self.errors or time in self.errors:
                continue
            if data.get(day) and data.get(time) is None:
                self.add_error(time, self.required_message(time))
            elif data.get(time) and data.get(day) is None:
                self.add_error(day, self.required_message(day))
        return data

    def required_message(self, name: str) -> str:
        field = self.fields[name]
        if isinstance(field, GovUKDateField):
            subject = str(field.subject or field.label)
            return f"Enter {subject[:1].lower()}{subject[1:]}"
        return str(field.error_messages["required"])

    def moment(self, name: str) -> dt.datetime | None:
        day = self.cleaned_data.get(f"{name}_on")
        time = self.cleaned_data.get(f"{name}_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))


class ChildSearchForm(forms.Form):
    """Find the child to report: a GET form over the people search."""

    name = forms.CharField(
        label="Child's name",
        max_length=200,
        help_text="Family name, or given and family name. The start of a name is enough: jo smi",
        error_messages={"required": "Enter the child's name"},
    )


class EpisodeReportForm(MomentsForm):
    moments = ("reported", "last_seen")

    reported_by = _text(
        "Who reported the child missing?",
        required=True,
        max_length=200,
        error_messages={"required": "Enter who reported the child missing"},
    )
    reporter_relationship = _text(
        "Their relationship to the child", max_length=100, help_text="For example, mother, carer"
    )
    reporter_contact = _text("How to contact them", max_length=200, help_text="A phone number")
    reported_on = _date("Date of the report", "The date of the report")
    reported_time = _time("Time of the report", "The time of the report")
    missing_from = forms.ChoiceField(
        label="Missing from",
        choices=MissingFrom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say where the child is missing from"},
    )
    looked_after = forms.BooleanField(label="The child is looked after", required=False)
    responsible_authority = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Responsible local authority",
        help_text="Needed for a looked-after child",
        empty_label="Not known or not looked after",
    )
    last_seen_on = _date("Date last seen", "The date last seen", required=False)
    last_seen_time = _time("Time last seen", "The time last seen", required=False)
    last_seen_where = _text("Where last seen", max_length=300)
    circumstances = _text("Circumstances", rows=3)
    known_risks = forms.MultipleChoiceField(
        label="Known risks",
        choices=KnownRisk.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    risk_notes = _text("About those risks", rows=3)
    adult_associates = _text(
        "Adults the child may be with", rows=2, help_text="Names, and what is known about them"
    )
    home_force = _text(
        "Home force", max_length=100, help_text="The force the child is missing from"
    )
    home_force_reference = _text("Home force reference", max_length=60)
    team = forms.ModelChoiceField(
        queryset=None,
        label="Team holding the enquiry",
        error_messages={"required": "Choose the team holding the enquiry"},
    )

    def __init__(self, *args, teams, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["responsible_authority"].queryset = authorities

    def report(self) -> services.Report:
        data = self.cleaned_data
        return services.Report(
            reported_at=self.moment("reported"),
            reported_by=data["reported_by"],
            missing_from=data["missing_from"],
            reporter_relationship=data["reporter_relationship"],
            reporter_contact=data["reporter_contact"],
            responsible_authority=data["responsible_authority"],
            looked_after=data["looked_after"],
            last_seen_at=self.moment("last_seen"),
            last_seen_where=data["last_seen_where"],
            circumstances=data["circumstances"],
            known_risks=tuple(data["known_risks"]),
            risk_notes=data["risk_notes"],
            adult_associates=data["adult_associates"],
            home_force=data["home_force"],
            home_force_reference=data["home_force_reference"],
        )


class LevelField(forms.ChoiceField):
    """Radios of the continuum that leave any other value to services.risk_level_parse, so a
    level the continuum does not have ("absent") gets the service's own refusal."""

    def validate(self, value):
        forms.Field.validate(self, value)

    def clean(self, value):
        value = super().clean(value)
        try:
            return services.risk_level_parse(value)
        except services.Refused as refused:
            raise ValidationError(str(refused)) from None


class RiskGradeForm(MomentsForm):
    """Level, the rationale stage by stage of the force's model, the sources, the next review."""

    moments = (
        "graded",
        "next_review",
        *(f"source_{n}_obtained" for n in range(1, SOURCE_ROWS + 1)),
    )

    level = LevelField(
        label="Level of risk",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of risk"},
    )
    graded_on = _date("Date of the grading", "The date of the grading")
    graded_time = _time("Time of the grading", "The time of the grading")
    next_review_on = _date("Next review date", "The next review date", required=False, past=False)
    next_review_time = _time("Next review time", "The next review time", required=False)
    override = forms.BooleanField(
        required=False, label="I am overriding the force's minimum for this child"
    )
    override_rationale = _text("Your rationale for grading below the minimum", rows=3)

    def __init__(self, *args, levels, model: str, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels
        if not may_override:
            # Only the supervisor overriding it records an override (services.risk).
            del self.fields["override"], self.fields["override_rationale"]
        self.model = model
        self.stage_names = []
        for stage, label in MODELS[model]:
            name = f"rationale_{stage}"
            self.stage_names.append((stage, name))
            self.fields[name] = _text(
                label,
                required=True,
                rows=3,
                error_messages={"required": f"Give the rationale: {label.lower()}"},
            )
        for n in range(1, SOURCE_ROWS + 1):
            self.fields[f"source_{n}_information"] = _text("Information", rows=2)
            self.fields[f"source_{n}_source"] = _text("Who gave it", max_length=200)
            self.fields[f"source_{n}_contact"] = _text("Their contact details", max_length=200)
            self.fields[f"source_{n}_obtained_on"] = _date(
                "Date obtained", f"The date source {n} was obtained", required=False
            )
            self.fields[f"source_{n}_obtained_time"] = _time(
                "Time obtained", f"The time source {n} was obtained", required=False
            )
        # The error summary lists the errors in the order the page asks the questions.
        self.order_fields(
            [
                "level",
                *(name for _stage, name in self.stage_names),
                *(f"source_{n}_{part}" for n in range(1, SOURCE_ROWS + 1) for part in SOURCE_PARTS),
                "next_review_on",
                "next_review_time",
                "override_by",
                "override_rationale",
            ]
        )

    def stage_fields(self):
        return [self[name] for _stage, name in self.stage_names]

    def source_rows(self):
        """The bound fields of each source row, for the template."""
        return [
            [self[f"source_{n}_{part}"] for part in SOURCE_PARTS] for n in range(1, SOURCE_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, SOURCE_ROWS + 1):
            if not self._source_used(n):
                continue
            for part, message in (
                ("information", f"Source {n}: say what the information was"),
                ("source", f"Source {n}: say who gave the information"),
                ("obtained_on", None),
                ("obtained_time", None),
            ):
                name = f"source_{n}_{part}"
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message or self.required_message(name))
        return data

    def _source_used(self, n: int) -> bool:
        names = [f"source_{n}_{part}" for part in SOURCE_PARTS]
        return any(self.cleaned_data.get(name) or name in self.errors for name in names)

    def rationale(self) -> dict[str, str]:
        return {stage: self.cleaned_data[name] for stage, name in self.stage_names}

    def sources(self) -> list[services.Source]:
        """The filled-in rows; blank rows are ignored."""
        data = self.cleaned_data
        return [
            services.Source(
                information=data[f"source_{n}_information"],
                source=data[f"source_{n}_source"],
                contact=data[f"source_{n}_contact"],
                obtained_at=self.moment(f"source_{n}_obtained"),
            )
            for n in range(1, SOURCE_ROWS + 1)
            if self._source_used(n)
        ]


class EnquiryForm(MomentsForm):
    moments = ("done",)

    kind = forms.ChoiceField(
        label="What was done",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of enquiry it was",
            "invalid_choice": "Choose one of the kinds of enquiry listed",
        },
    )
    details = _text(
        "Details",
        required=True,
        rows=4,
        error_messages={"required": "Say what was done"},
    )
    result = _text("Result", rows=3)
    done_on = _date("Date done", "The date done")
    done_time = _time("Time done", "The time done")

    def __init__(self, *args, may_direct: bool, **kwargs):
        super().__init__(*args, **kwargs)
        hidden = {EnquiryKind.PHILOMENA} | (set() if may_direct else {EnquiryKind.DIRECTION})
        self.fields["kind"].choices = [c for c in EnquiryKind.choices if c[0] not in hidden]


class FoundForm(MomentsForm):
    moments = ("found",)

    found_on = _date("Date found", "The date found")
    found_time = _time("Time found", "The time found")
    found_where = _text(
        "Where was the child found?",
        required=True,
        max_length=300,
        error_messages={"required": "Say where the child was found"},
    )
    found_with = _text("Who were they with?", max_length=300)
    found_by = _text(
        "Who found them?",
        required=True,
        max_length=200,
        help_text="An officer, a carer, or 'returned of their own accord'",
        error_messages={"required": "Say who found the child, or that they came back themselves"},
    )


class PreventionInterviewForm(MomentsForm):
    moments = ("held",)

    done = forms.TypedChoiceField(
        label="Was the prevention interview done?",
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the prevention interview was done"},
    )
    held_on = _date("Date held", "The date held", required=False)
    held_time = _time("Time held", "The time held", required=False)
    method = forms.ChoiceField(
        label="How was it held?",
        choices=InterviewMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    method_reason = _text("If by telephone, why not face to face?", rows=2)
    child_account = _text("What the child said", rows=4)
    risks_found = _text("Risks found", rows=3)
    not_done_reason = _text("Why was it not done?", rows=3)


class ReturnHomeInterviewForm(MomentsForm):
    moments = ("offered", "held", "findings_received")

    offered_on = _date("Date offered", "The date offered", required=False)
    offered_time = _time("Time offered", "The time offered", required=False)
    held_on = _date("Date held", "The date held", required=False)
    held_time = _time("Time held", "The time held", required=False)
    declined = forms.BooleanField(label="The child declined the interview", required=False)
    findings_received_on = _date(
        "Date the findings were received", "The date the findings were received", required=False
    )
    findings_received_time = _time(
        "Time the findings were received", "The time the findings were received", required=False
    )
    findings = _text("What the interview found", rows=4)
    police_actions = _text("What the police did about it", rows=3)
    protective_plan_updated = forms.BooleanField(
        label="The protective plan has been updated", required=False
    )


class PromptActionForm(forms.Form):
    """What a supervisor did about one repeat-missing prompt; several share the episode's page."""

    outcome = _text(
        "What was decided or done",
        required=True,
        rows=2,
        error_messages={"required": "Say what was decided or done"},
    )

    def __init__(self, *args, prompt, **kwargs):
        super().__init__(*args, auto_id=f"prompt-{prompt.pk}-%s", **kwargs)
        self.fields["outcome"].label = f"What was decided or done: {prompt.get_kind_display()}"


class PhilomenaProfileForm(forms.Form):
    """Part 1 of the Philomena Protocol, as the carer keeps it: recorded or brought up to date."""

    held_by = _text(
        "Who holds the profile",
        required=True,
        max_length=200,
        help_text="The care provider or local authority, for example Oakfield House",
        error_messages={"required": "Say who holds the profile"},
    )
    description = _text(
        "Description of the child",
        required=True,
        rows=3,
        error_messages={"required": "Describe the child"},
    )
    photo_reference = _text("Where the photograph is held", max_length=200)
    associates = _text("Associates", rows=3)
    places = _text("Places they may go", rows=3)
    phones = _text("Phone numbers and social media", rows=2)
    medical = _text("Medical needs", rows=2)
    missing_history = _text("Missing before", rows=3)
