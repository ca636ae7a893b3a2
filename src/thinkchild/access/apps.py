from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "thinkchild.access"
    label = "access"
