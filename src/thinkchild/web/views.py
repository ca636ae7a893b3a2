from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.web.navigation import nav_items_for


def _url_or_none(name: str) -> str | None:
    # Apps arrive in their own time; the home page must render before people search exists.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_GET
@login_required
def home(request):
    """The landing page: find a person, and the places this user's role can go."""
    links = [link for link in nav_items_for(request.user) if link.key != "home"]
    can_search = role_can(request.user.role, RecordKind.PERSON, Action.SEARCH)
    return render(
        request,
        "web/home.html",
        {
            "can_search_people": can_search,
            "person_search_url": _url_or_none("people:search") if can_search else None,
            "links": links,
        },
    )


@require_GET
def accessibility(request):
    return render(request, "web/accessibility.html")


@require_GET
def privacy(request):
    return render(request, "web/privacy.html")
