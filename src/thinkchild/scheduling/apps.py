from datetime import timedelta

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "thinkchild.scheduling"
    label = "scheduling"

    def ready(self):
        from django.core.management import call_command

        from thinkchild.scheduling.registry import register_tick

        # Housekeeping every app needs: expired sign-in sessions, finished task results.
        register_tick(
            "sessions.clear_expired", timedelta(hours=1), lambda: call_command("clearsessions")
        )
        register_tick(
            "tasks.prune_results",
            timedelta(hours=6),
            lambda: call_command("prune_db_task_results", min_age_days=7, verbosity=0),
        )
