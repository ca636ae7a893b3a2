from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "thinkchild.web"
    label = "web"

    def ready(self) -> None:
        from thinkchild.web.navigation import register_nav_item

        register_nav_item("home", "Home", "web:home", order=0)
