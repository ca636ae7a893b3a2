from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "thinkchild.scheduling"
    label = "scheduling"
