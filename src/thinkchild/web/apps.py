from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "thinkchild.web"
    label = "web"
