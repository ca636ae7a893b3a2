from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "thinkchild.people"
    label = "people"

    def ready(self) -> None:
        from thinkchild.access.policy import REACH, Action, RecordKind, role_can
        from thinkchild.people import chronology_providers
        from thinkchild.web.navigation import register_nav_item

        chronology_providers.register()
        searchers = frozenset(
            role for role in REACH if role_can(role, RecordKind.PERSON, Action.SEARCH)
        )
        register_nav_item("people", "Search people", "people:search", roles=searchers, order=10)
