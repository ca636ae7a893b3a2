from django.urls import path

from thinkchild.investigations import views

app_name = "investigations"

urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("open/", views.investigation_open, name="open"),
    path("<uuid:pk>/reallocate/", views.reallocate, name="reallocate"),
    path("<uuid:pk>/", views.investigation_detail, name="detail"),
    path("<uuid:pk>/review/", views.review_record, name="review"),
    path("reviews/<uuid:review_pk>/grade/", views.review_grade_record, name="grade"),
    path("meetings/<uuid:outcome_pk>/record/", views.meeting_record, name="meeting_record"),
]
