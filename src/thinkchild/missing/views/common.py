"""What the missing-children pages share: opening the episode through its selector, and
showing a refusal."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.web import reason_for
from thinkchild.missing import selectors

RATIONALE_AS_RECORDED = "As recorded by the source system"


def episode_open(request, pk, action=Action.VIEW):
    return selectors.episode_get(
        user=request.user,
        episode_id=pk,
        reason=reason_for(request, RecordKind.MISSING_EPISODE, pk),
        action=action,
    )


def may_record(user) -> bool:
    return role_can(user.role, RecordKind.MISSING_EPISODE, Action.RECORD)


def refusal_form(message: str) -> forms.Form:
    """An empty form carrying a refusal, for the error summary of a page whose button failed."""
    form = forms.Form({})
    form.is_valid()
    form.add_error(None, message)
    return form


def done(request, episode, message: str):
    messages.success(request, message)
    return redirect("missing:detail", pk=episode.pk)
