from django.urls import path

from thinkchild.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("policy/<str:key>/", views.policy_change, name="policy_change"),
]
