from django.contrib.auth import views as auth_views
from django.urls import path

from thinkchild.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/", auth_views.LoginView.as_view(template_name="web/sign_in.html"), name="sign_in"
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
]
