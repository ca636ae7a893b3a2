from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "thinkchild.api"
    label = "api"
