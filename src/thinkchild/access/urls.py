from django.urls import path

from thinkchild.access import views

app_name = "access"

urlpatterns = [
    path("reason/", views.reason, name="reason"),
    path("processing-log/", views.processing_log, name="processing_log"),
    path("processing-log/export.csv", views.processing_log_csv, name="processing_log_csv"),
]
