from django.urls import path

from thinkchild.missing import views

app_name = "missing"

urlpatterns = [
    path("", views.episode_list, name="list"),
    path("report/", views.episode_report, name="report"),
    path("summary/", views.summary, name="summary"),
    path("children/<uuid:person_pk>/", views.child_history, name="child"),
    path(
        "children/<uuid:person_pk>/philomena/",
        views.philomena_profile,
        name="philomena",
    ),
    path("<uuid:pk>/", views.episode_detail, name="detail"),
    path("<uuid:pk>/grade/", views.risk_grade, name="grade"),
    path("<uuid:pk>/enquiry/", views.enquiry_record, name="enquiry"),
    path("<uuid:pk>/found/", views.found_record, name="found"),
    path("<uuid:pk>/prevention/", views.prevention_record, name="prevention"),
    path("<uuid:pk>/return-home/", views.return_home_record, name="return_home"),
    path("<uuid:pk>/authority-notified/", views.authority_notify, name="authority_notify"),
    path("<uuid:pk>/close/", views.episode_close, name="close"),
    path("<uuid:pk>/allocate/", views.episode_allocate, name="allocate"),
    path("<uuid:pk>/philomena/send/", views.philomena_send, name="philomena_send"),
    path(
        "<uuid:pk>/prompts/<uuid:prompt_pk>/action/",
        views.prompt_action,
        name="prompt_action",
    ),
]
