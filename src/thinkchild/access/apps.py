from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "thinkchild.access"
    label = "access"
    verbose_name = "Access and processing log"

    def ready(self):
        from django.db.models import Field, ForeignObject

        from thinkchild.access.lookups import AnyOf
        from thinkchild.access.policy import REACH, Action, RecordKind
        from thinkchild.web.navigation import register_nav_item

        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)  # related fields keep lookups of their own

        readers = frozenset(
            role
            for role, reach in REACH.items()
            if (RecordKind.PROCESSING_LOG, Action.VIEW_PROCESSING_LOG) in reach.actions
        )
        register_nav_item(
            "processing_log", "Processing log", "access:processing_log", roles=readers, order=90
        )
