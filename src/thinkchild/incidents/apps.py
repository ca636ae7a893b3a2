from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "thinkchild.incidents"
    label = "incidents"

    def ready(self) -> None:
        from thinkchild.access.policy import REACH, Action, RecordKind, role_can
        from thinkchild.incidents.previous import incident_chronology, previous_incidents_research
        from thinkchild.incidents.research import register_research_provider
        from thinkchild.incidents.services import persons_refresh_child_marker
        from thinkchild.people.changes import register_person_change_listener
        from thinkchild.people.chronology import register_chronology_provider
        from thinkchild.web.navigation import register_nav_item

        register_research_provider("incidents", previous_incidents_research)
        register_chronology_provider("incident", "Incidents", incident_chronology)
        # A corrected date of birth or a recorded pregnancy changes the marker of past incidents.
        register_person_change_listener("incidents.child_marker", persons_refresh_child_marker)
        searchers = frozenset(
            role for role in REACH if role_can(role, RecordKind.INCIDENT, Action.SEARCH)
        )
        register_nav_item("incidents", "Incidents", "incidents:list", roles=searchers, order=20)
