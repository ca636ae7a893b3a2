from django.conf import settings

from thinkchild.web.navigation import current_key, nav_items_for


def navigation(request):
    """What base.html needs on every page: the service name, the demo flag and the user's menu."""
    user = getattr(request, "user", None)
    links = nav_items_for(user)
    return {
        "service_name": settings.THINKCHILD_FORCE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "nav_items": links,
        "nav_current": current_key(links, request.path),
    }
