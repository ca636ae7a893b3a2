from django.urls import path

from thinkchild.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<uuid:pk>/", views.incident_detail, name="detail"),
    path("<uuid:pk>/participants/add/", views.participant_add, name="participant_add"),
    path(
        "<uuid:pk>/participants/<uuid:participant_pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
]
