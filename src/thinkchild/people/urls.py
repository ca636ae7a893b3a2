from django.urls import path

from thinkchild.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/chronology/", views.chronology, name="chronology"),
    path(
        "<uuid:pk>/household/chronology/",
        views.household_chronology,
        name="household_chronology",
    ),
]
