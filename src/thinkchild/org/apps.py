from importlib import import_module

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thinkchild.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self):
        # Importing the module registers the system checks.
        import_module("thinkchild.org.checks")
