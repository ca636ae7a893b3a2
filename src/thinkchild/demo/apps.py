from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "thinkchild.demo"
    label = "demo"
