from django.conf import settings


def navigation(request):
    return {"service_name": settings.THINKCHILD_FORCE_NAME, "demo_mode": settings.DEMO_MODE}
