"""A URL configuration in which people search is not wired, as while the apps are being built."""

from django.urls import include, path

urlpatterns = [
    path("", include("thinkchild.org.urls")),
    path("", include("thinkchild.web.urls")),
]
