from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "thinkchild.incidents"
    label = "incidents"
