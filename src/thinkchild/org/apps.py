from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thinkchild.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self):
        from thinkchild.org import checks  # noqa: F401  (registers the system checks)
