"""The quarantine pages: list, open, correct and import again, or discard. Thin."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.interchange import selectors, services
from thinkchild.interchange.forms import QuarantineFilterForm, QuarantineFixForm
from thinkchild.interchange.models import OPEN_STATUSES, QuarantineStatus


@login_required
def quarantine_list(request):
    form = QuarantineFilterForm(
        request.GET or None, record_types=selectors.quarantine_record_types(user=request.user)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = selectors.quarantine_list(
        user=request.user,
        status=filters.get("status") or None,
        record_type=filters.get("record_type") or None,
        run_id=filters.get("run"),
        page=request.GET.get("page", 1),
    )
    return render(request, "interchange/quarantine_list.html", {"form": form, "page": page})


def _entry(request, pk):
    try:
        return selectors.quarantine_get(user=request.user, entry_id=pk)
    except ObjectDoesNotExist:
        raise Http404("No such quarantined record") from None


def _initial_text(entry) -> str:
    if isinstance(entry.record, dict):
        return json.dumps(entry.record, ensure_ascii=False, indent=2)
    return entry.raw


@login_required
@require_http_methods(["GET", "POST"])
def quarantine_detail(request, pk):
    entry = _entry(request, pk)
    can_fix = entry.is_open and role_can(request.user.role, RecordKind.QUARANTINE, Action.RECORD)
    form = QuarantineFixForm(initial={"raw": _initial_text(entry)})
    if request.method == "POST" and can_fix:
        form = QuarantineFixForm(request.POST)
        if form.is_valid():
            entry = services.quarantine_reprocess(
                user=request.user, entry=entry, raw=form.cleaned_data["raw"]
            )
            if entry.status == QuarantineStatus.RESOLVED:
                messages.success(request, f"Line {entry.line_number} was imported.")
                return redirect("interchange:quarantine")
            form.add_error(
                "raw",
                "It still cannot be imported: " + "; ".join(r["message"] for r in entry.reasons),
            )
            can_fix = entry.is_open
    return render(
        request,
        "interchange/quarantine_detail.html",
        {"entry": entry, "form": form, "can_fix": can_fix},
    )


@login_required
@require_POST
def quarantine_discard(request, pk):
    entry = _entry(request, pk)
    if entry.status in OPEN_STATUSES:
        services.quarantine_discard(user=request.user, entry=entry)
        messages.success(request, f"Line {entry.line_number} was discarded; it stays on record.")
    return redirect("interchange:quarantine")


@login_required
def import_run_list(request):
    page = selectors.import_run_list(user=request.user, page=request.GET.get("page", 1))
    return render(request, "interchange/runs.html", {"page": page})
