from datetime import timedelta

from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "thinkchild.standards"
    label = "standards"

    def ready(self) -> None:
        from thinkchild.org.models import Role
        from thinkchild.scheduling.registry import register_tick
        from thinkchild.standards.registry import register_parameter
        from thinkchild.standards.services import ESCALATE_TO_INSPECTOR, obligations_tick
        from thinkchild.web.navigation import register_nav_item

        # Overdue is a matter of minutes for some standards (a high-risk missing child's review
        # within an hour): the tick is cheap when nothing is due.
        register_parameter(ESCALATE_TO_INSPECTOR)
        register_tick("standards.tick", timedelta(minutes=5), obligations_tick)
        # Every signed-in user may read what is expected of them; only the PPU lead edits policy.
        register_nav_item("standards", "Standards", "standards:catalogue", order=80)
        register_nav_item("notifications", "Notifications", "standards:notifications", order=90)
        # What needs attention now: an officer's own, a supervisor's team, an inspector's area,
        # the PPU lead's force (standards.selectors). The overview is for those who supervise.
        register_nav_item(
            "standards_queue",
            "Needs attention",
            "standards:queue",
            roles=[Role.OFFICER, Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD],
            order=5,
        )
        register_nav_item(
            "standards_compliance",
            "Compliance",
            "standards:compliance",
            roles=[Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD],
            order=75,
        )
