from django.urls import path

from thinkchild.interchange import views

app_name = "interchange"

urlpatterns = [
    path("quarantine/", views.quarantine_list, name="quarantine"),
    path("quarantine/<uuid:pk>/", views.quarantine_detail, name="quarantine_detail"),
    path("quarantine/<uuid:pk>/discard/", views.quarantine_discard, name="quarantine_discard"),
    path("runs/", views.import_run_list, name="runs"),
]
