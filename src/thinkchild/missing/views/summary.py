"""The missing-children summary page: numbers by area and month, no names."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from thinkchild.missing.summary import missing_summary
from thinkchild.standards.views import compliance_months


@login_required
@require_http_methods(["GET"])
def summary(request):
    form, month_from, month_to = compliance_months(request)
    rows = missing_summary(user=request.user, month_from=month_from, month_to=month_to)
    context = {"form": form, "rows": rows, "month_from": month_from, "month_to": month_to}
    return render(request, "missing/summary.html", context)
