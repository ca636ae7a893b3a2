from datetime import timedelta

from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "thinkchild.interchange"
    label = "interchange"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from thinkchild.access.policy import REACH, Action, RecordKind, role_can
        from thinkchild.scheduling.registry import register_tick
        from thinkchild.web.navigation import register_nav_item

        # Each app's record types live in its own interchange.py (architecture §5: the arrows
        # point down, so interchange never names the apps it reads for).
        autodiscover_modules("interchange")

        reviewers = frozenset(
            role for role in REACH if role_can(role, RecordKind.QUARANTINE, Action.VIEW)
        )
        register_nav_item(
            "quarantine", "Quarantine", "interchange:quarantine", roles=reviewers, order=80
        )

        def held_retry() -> None:
            from thinkchild.interchange.services import held_records_retry

            held_records_retry()

        register_tick("interchange.held_records_retry", timedelta(minutes=15), held_retry)
