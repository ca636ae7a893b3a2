from django.urls import path

from thinkchild.org import views

app_name = "org"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/two-factor/", views.two_factor, name="two_factor"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
