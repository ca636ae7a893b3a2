"""The standards catalogue, generated from the registry: the page and docs/standards.md."""

import inspect

from django.utils import timezone

from thinkchild.standards.policy import Policy
from thinkchild.standards.registry import Parameter, parameters, standards


def value_text(parameter: Parameter, value) -> str:
    if parameter.choices:
        return parameter.label_of(value)
    if parameter.options:
        unit = parameter.unit
        return "; ".join(
            f"{label} {value.get(key)} {unit}".rstrip() for key, label in parameter.options
        )
    return f"{value} {parameter.unit}".rstrip()


def standards_catalogue(*, current: bool = True) -> list[dict]:
    """Every standard with its source and parameters, and (with `current`) the values in force
    today, which are read from the database."""
    policy, today = Policy(), timezone.localdate()
    return [
        {
            "id": standard.id,
            "title": standard.title,
            "source": standard.source,
            "rule": inspect.cleandoc(type(standard).__doc__ or ""),
            "subject_type": standard.subject_type,
            "parameters": [
                {
                    "key": p.key,
                    "title": p.title,
                    "default": value_text(p, p.default),
                    "current": value_text(p, policy(p.key, today)) if current else None,
                }
                for p in standard.parameters
            ],
        }
        for standard in standards().values()
    ]


def other_parameters() -> list[Parameter]:
    """Policy parameters that belong to no one standard: escalation, allocation, backdating."""
    owned = {p.key for s in standards().values() for p in s.parameters}
    return [p for p in parameters().values() if p.key not in owned]


def standards_catalogue_markdown() -> str:
    """docs/standards.md: the registry with the defaults in code (a force's current values are
    on the catalogue page)."""
    lines = [
        "# Standards catalogue",
        "",
        "Generated from the standards registry by `thinkchild standards_catalogue`; do not edit by",
        "hand. Each standard is a named object in the app that owns it; the PPU lead changes the",
        "parameters from a date on the force policy page, and the catalogue page shows the values",
        "in force today.",
        "",
    ]
    entries = standards_catalogue(current=False)
    if not entries:
        lines += ["No standards are registered yet.", ""]
    for entry in entries:
        lines += [f"## {entry['title']}", "", f"`{entry['id']}` (about: {entry['subject_type']})"]
        lines += ["", f"**Source:** {entry['source']}", "", entry["rule"], ""]
        if entry["parameters"]:
            lines += ["| Parameter | Key | Default |", "|---|---|---|"]
            for p in entry["parameters"]:
                lines.append(f"| {p['title']} | `{p['key']}` | {p['default']} |")
            lines.append("")
    engine = other_parameters()
    if engine:
        lines += ["## Other force policy", "", "| Parameter | Key | Default |"]
        lines += ["|---|---|---|"]
        lines += [f"| {p.title} | `{p.key}` | {value_text(p, p.default)} |" for p in engine]
        lines.append("")
    return "\n".join(lines)
