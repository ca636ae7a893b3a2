"""Sign in (password, then TOTP for the roles that need it) and sign out."""

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from thinkchild.org import services
from thinkchild.org.forms import SignInForm, TotpCodeForm
from thinkchild.org.models import Role
from thinkchild.org.redirects import safe_next_url
from thinkchild.org.two_factor import (
    totp_device_confirmed,
    totp_qr_svg,
    totp_secret_text,
    two_factor_required,
)

# Where to go once the second factor is done (kept across the 2FA pages).
NEXT_SESSION_KEY = "sign_in_next"


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        if two_factor_required(request.user) and not request.user.is_verified():
            return redirect("org:two_factor")
        return redirect(next_url)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-axes counts failures through authenticate(request=...) and locks the username.
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None and user.role == Role.SYSTEM_ACCOUNT:
            user = None  # API only (its password, if it somehow has one, opens nothing here)
        if user is not None:
            login(request, user)
            if two_factor_required(user):
                request.session[NEXT_SESSION_KEY] = next_url
                return redirect("org:two_factor")
            return redirect(next_url)
        # Never say which of the two was wrong: that would confirm a username exists.
        form.add_error(None, "Enter a correct username and password")
    context = {
        "form": form,
        "next": next_url,
        "expired": request.GET.get("expired") == "1",
        "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "org/sign_in.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    user = request.user
    next_url = safe_next_url(request, request.session.get(NEXT_SESSION_KEY))
    if user.is_verified() or not two_factor_required(user):
        return redirect(next_url)
    device = totp_device_confirmed(user)
    enrolling = device is None
    if enrolling:
        device = services.totp_device_for_enrolment(user=user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp doubles the wait after each wrong code; say so rather than "wrong code".
        allowed, _ = device.verify_is_allowed()
        verified = services.totp_device_verify(user=user, code=form.cleaned_data["code"])
        if verified is not None:
            otp_login(request, verified)
            # A higher privilege level gets a new session id (no fixation across the step).
            request.session.cycle_key()
            request.session.pop(NEXT_SESSION_KEY, None)
            return redirect(next_url)
        form.add_error(
            "code",
            "The code is not right. Wait for a new code in your app, then enter it"
            if allowed
            else "Too many wrong codes. Wait a minute, then enter a new code from your app",
        )
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        # segno escapes the URI it draws; the SVG holds no script.
        context["qr_svg"] = mark_safe(totp_qr_svg(device))  # noqa: S308
        context["secret"] = totp_secret_text(device)
    return render(request, "org/two_factor.html", context)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("org:sign_in")
