from django.urls import path

from thinkchild.standards import views

app_name = "standards"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("", views.catalogue, name="catalogue"),
    path("policy/<str:key>/", views.policy_change, name="policy_change"),
    path("queue/", views.queue, name="queue"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/obligations/", views.compliance_obligations, name="compliance_obligations"),
    path("compliance/export.csv", views.compliance_csv, name="compliance_csv"),
]
