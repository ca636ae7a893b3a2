"""The standards catalogue (everyone) and the PPU lead's force policy changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from thinkchild.org.models import PolicySetting, Role
from thinkchild.standards.catalogue import standards_catalogue
from thinkchild.standards.forms import PolicyChangeForm
from thinkchild.standards.policy import PolicyRefused, policy_set, policy_value
from thinkchild.standards.registry import parameter_get, parameters


@login_required
def catalogue(request):
    engine = [p for p in parameters().values() if p.key.startswith("standards.")]
    context = {
        "standards": standards_catalogue(),
        "engine_parameters": [(p, policy_value(p.key)) for p in engine],
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
        "form": form,
        "history": history.order_by("-effective_from", "-set_at"),
        "today": timezone.localdate(),
    }
    return render(request, "standards/policy_change.html", context)
