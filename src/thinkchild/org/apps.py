from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thinkchild.org"
    label = "org"
    verbose_name = "Organisation"
