"""The reason-for-access page and the PPU lead's processing-log page: forms in, selectors out."""

import csv
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from thinkchild.access.forms import ProcessingLogFilterForm, ReasonForm
from thinkchild.access.policy import RecordKind
from thinkchild.access.selectors import (
    ProcessingLogQuery,
    processing_log_search,
    processing_log_subject_label,
)
from thinkchild.access.services import ExportTooLarge, processing_log_export
from thinkchild.access.web import reason_remember
from thinkchild.org.redirects import safe_next_url

# The records a reason can open; anything else in the query string is refused.
REASON_KINDS = {
    RecordKind.PERSON: "person",
    RecordKind.INCIDENT: "incident",
    RecordKind.INVESTIGATION: "investigation",
    RecordKind.MISSING_EPISODE: "missing episode",
}


@login_required
@require_http_methods(["GET", "POST"])
def reason(request):
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("kind", "")
    try:
        record_id = UUID(params.get("id", ""))
    except ValueError:
        record_id = None
    if kind not in REASON_KINDS or record_id is None:
        return HttpResponseBadRequest("This link does not name a record.")
    next_url = safe_next_url(request, params.get("next", ""))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason_remember(request, kind, record_id, form.cleaned_data["reason"])
        return redirect(next_url)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": REASON_KINDS[kind],
        "record_id": record_id,
        "next": next_url,
    }
    return render(request, "access/reason.html", context)


def _query(form: ProcessingLogFilterForm) -> ProcessingLogQuery:
    if not form.is_valid():
        return ProcessingLogQuery()
    data = form.cleaned_data
    return ProcessingLogQuery(
        subject_type=data["subject_type"] if data["subject_id"] else "",
        subject_id=data["subject_id"],
        actor=data["actor"].strip(),
        operation=data["operation"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


@login_required
def processing_log(request):
    form = ProcessingLogFilterForm(request.GET or None)
    query = _query(form) if form.is_bound else ProcessingLogQuery()
    entries = processing_log_search(user=request.user, query=query)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    subject_label = ""
    if query.subject_id:
        subject_label = processing_log_subject_label(
            subject_type=query.subject_type, subject_id=query.subject_id
        )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "subject_label": subject_label,
        "filter_query": params.urlencode(),
    }
    return render(request, "access/processing_log.html", context)


class _Echo:
    def write(self, value):
        return value


@login_required
def processing_log_csv(request):
    form = ProcessingLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Show the errors on the page rather than export something other than what was asked.
        return redirect(f"{reverse('access:processing_log')}?{request.GET.urlencode()}")
    query = _query(form) if form.is_bound else ProcessingLogQuery()
    try:
        rows = processing_log_export(user=request.user, query=query)
    except ExportTooLarge as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('access:processing_log')}?{request.GET.urlencode()}")
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="processing-log-{stamp}.csv"'
    return response
