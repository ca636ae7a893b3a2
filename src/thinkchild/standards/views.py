"""The standards catalogue (everyone), the PPU lead's force policy changes, the queue of what
needs attention now and the compliance overview with its drill-down and CSV exports."""

import csv
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from thinkchild.org.models import PolicySetting, Role
from thinkchild.standards import selectors
from thinkchild.standards.catalogue import other_parameters, standards_catalogue, value_text
from thinkchild.standards.forms import (
    ComplianceFilterForm,
    DrillDownForm,
    PolicyChangeForm,
    QueueFilterForm,
    month_parse,
)
from thinkchild.standards.models import ObligationStatus
from thinkchild.standards.policy import PolicyRefused, policy_set, policy_value
from thinkchild.standards.registry import parameter_get, standards, subject_types
from thinkchild.standards.services import notifications_mark_read


@login_required
def catalogue(request):
    engine = other_parameters()
    context = {
        "standards": standards_catalogue(),
        "engine_parameters": [(p, value_text(p, policy_value(p.key))) for p in engine],
        "may_change_policy": request.user.role == Role.PPU_LEAD,
    }
    return render(request, "standards/catalogue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_change(request, key: str):
    if request.user.role != Role.PPU_LEAD:
        raise PermissionDenied("Only the PPU lead changes force policy.")
    try:
        parameter = parameter_get(key)
    except KeyError:
        raise Http404("No such policy parameter.") from None
    current = policy_value(key)
    form = PolicyChangeForm(request.POST or None, parameter=parameter, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            policy_set(
                actor=request.user,
                key=key,
                value=form.value(),
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except PolicyRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{parameter.title}: changed.")
            return redirect("standards:catalogue")
    history = PolicySetting.objects.filter(key=key).select_related("set_by")
    context = {
        "parameter": parameter,
        "current": current,
        "current_text": value_text(parameter, current),
        "default_text": value_text(parameter, parameter.default),
        "form": form,
        "history": history.order_by("-effective_from", "-set_at"),
        "today": timezone.localdate(),
    }
    return render(request, "standards/policy_change.html", context)


# -- the queue and the compliance overview (issue #3, part 4) -------------------------------------
# The filter forms live here until standards/forms.py takes them (it belongs to another change).


def compliance_months(request) -> tuple[ComplianceFilterForm, dt.date, dt.date]:
    """The form and the months it asks for: the last six months until it asks otherwise."""
    today = timezone.localdate()
    month_to = today.replace(day=1)
    month_from = dt.date(month_to.year - (month_to.month <= 5), (month_to.month - 6) % 12 + 1, 1)
    data = request.GET if "month_from" in request.GET else None
    initial = {"month_from": f"{month_from:%Y-%m}", "month_to": f"{month_to:%Y-%m}"}
    form = ComplianceFilterForm(data, today=today, initial=initial)
    if form.is_bound and form.is_valid():
        month_from = month_parse(form.cleaned_data["month_from"])
        month_to = month_parse(form.cleaned_data["month_to"])
    return form, month_from, month_to


def _months_around(month: dt.date) -> dict:
    return {"month_from": f"{month:%Y-%m}", "month_to": f"{month:%Y-%m}"}


def _drill_down_query(request) -> dict:
    form = DrillDownForm(request.GET)
    if not form.is_valid():
        raise Http404("This link does not name a compliance figure.")
    return form.query()


def _subject_urls(obligations) -> dict:
    """Each obligation's link to its record, where its subject type gives one (page rows only)."""
    types = subject_types()
    urls = {}
    for obligation in obligations:
        subject_type = types.get(obligation.subject_type)
        urls[obligation.pk] = subject_type.url(obligation.subject_id) if subject_type else ""
    return urls


def _with_links(page):
    urls = _subject_urls(page.object_list)
    titles = {sid: s.title for sid, s in standards().items()}
    for obligation in page.object_list:
        obligation.subject_url = urls[obligation.pk]
        obligation.standard_title = titles.get(obligation.standard_id, obligation.standard_id)
    return page


@login_required
def queue(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    page = selectors.obligation_queue(
        user=request.user, page=request.GET.get("page", 1), **form.filters()
    )
    context = {
        "form": form,
        "page": _with_links(page),
        "scope": selectors.scope_label(user=request.user),
    }
    return render(request, "standards/queue.html", context)


def _drill_down_url(row: selectors.ComplianceRow) -> str:
    query = {"standard": row.standard_id, "team": row.team_id or "", "month": f"{row.month:%Y-%m}"}
    return f"{reverse('standards:compliance_obligations')}?{urlencode(query)}"


@login_required
def compliance(request):
    form, month_from, month_to = compliance_months(request)
    rows = selectors.compliance_overview(
        user=request.user, month_from=month_from, month_to=month_to
    )
    context = {
        "form": form,
        "rows": [(row, _drill_down_url(row)) for row in rows],
        "month_from": month_from,
        "month_to": month_to,
        "scope": selectors.scope_label(user=request.user),
        "export_query": f"month_from={month_from:%Y-%m}&month_to={month_to:%Y-%m}",
    }
    return render(request, "standards/compliance.html", context)


@login_required
def compliance_obligations(request):
    query = _drill_down_query(request)
    page = selectors.compliance_obligations(
        user=request.user, page=request.GET.get("page", 1), **query
    )
    params = request.GET.copy()
    params.pop("page", None)
    status = query["status"]
    context = {
        "page": _with_links(page),
        "query": query,
        "standard_title": getattr(standards().get(query["standard_id"]), "title", ""),
        "status_label": ObligationStatus(status).label if status else "Opened",
        "export_query": params.urlencode(),
        "back_query": urlencode(_months_around(query["month"])),
    }
    return render(request, "standards/compliance_obligations.html", context)


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (titles and names are free text)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(filename: str, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


def _local(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _overview_csv(request) -> HttpResponse:
    form, month_from, month_to = compliance_months(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('standards:compliance')}?{request.GET.urlencode()}")
    rows = selectors.compliance_export(user=request.user, month_from=month_from, month_to=month_to)
    header = [
        "standard_id", "standard", "area", "team", "month",
        "opened", "met_on_time", "met_late", "overdue_now", "rate",
    ]  # fmt: skip
    body = (
        [
            r.standard_id,
            r.standard_title,
            r.area_name,
            r.team_name,
            f"{r.month:%Y-%m}",
            r.opened,
            r.met_on_time,
            r.met_late,
            r.overdue,
            "" if r.rate is None else f"{r.rate:.3f}",
        ]  # fmt: skip
        for r in rows
    )
    name = f"compliance-{month_from:%Y%m}-{month_to:%Y%m}.csv"
    return _csv(name, [header, *body])


def _obligations_csv(request) -> HttpResponse:
    query = _drill_down_query(request)
    obligations = selectors.compliance_obligations_export(user=request.user, **query)
    header = [
        "id", "standard_id", "title", "team", "owner", "opened_at", "due_at", "met_at",
        "status", "children",
    ]  # fmt: skip
    body = (
        [
            o.pk,
            o.standard_id,
            o.title,
            o.owner_team or "",
            o.owner or "",
            _local(o.opened_at),
            _local(o.due_at),
            _local(o.met_at),
            o.get_status_display(),
            "; ".join(c.name for c in o.child_names),
        ]  # fmt: skip
        for o in obligations
    )
    return _csv(f"compliance-{query['standard_id']}-{query['month']:%Y%m}.csv", [header, *body])


@login_required
def compliance_csv(request):
    """The overview for the months asked; with `standard` and `month`, the obligations behind
    one figure. Either way the export is logged as a disclosure to the user."""
    if "standard" in request.GET:
        return _obligations_csv(request)
    return _overview_csv(request)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("standards:notifications")
    found = selectors.notifications_for(user=request.user)
    unread = sum(1 for n in found if n.read_at is None)
    return render(
        request, "standards/notifications.html", {"notifications": found, "unread": unread}
    )
