from django.contrib import admin
from django.urls import include, path

from thinkchild.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("thinkchild.org.urls")),
    path("access/", include("thinkchild.access.urls")),
    path("people/", include("thinkchild.people.urls")),
    path("incidents/", include("thinkchild.incidents.urls")),
    path("standards/", include("thinkchild.standards.urls")),
    path("investigations/", include("thinkchild.investigations.urls")),
    path("missing/", include("thinkchild.missing.urls")),
    path("interchange/", include("thinkchild.interchange.urls")),
    path("", include("thinkchild.web.urls")),
]
