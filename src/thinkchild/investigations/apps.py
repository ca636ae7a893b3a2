from django.apps import AppConfig
from django.urls import reverse


class InvestigationsConfig(AppConfig):
    name = "thinkchild.investigations"
    label = "investigations"

    def ready(self) -> None:
        from thinkchild.access.policy import REACH, Action, RecordKind, role_can
        from thinkchild.access.scope import register_record_scope
        from thinkchild.investigations.allocation import PARAMETERS as ALLOCATION_PARAMETERS
        from thinkchild.investigations.models import Investigation
        from thinkchild.investigations.selectors import investigation_scope_q
        from thinkchild.investigations.services import BACKDATE_HOURS
        from thinkchild.investigations.standards import STANDARDS
        from thinkchild.standards.registry import (
            SubjectType,
            register_parameter,
            register_standard,
            register_subject_type,
        )
        from thinkchild.web.navigation import register_nav_item

        def load(pk):
            return (
                Investigation.objects.select_related("team")
                .prefetch_related("people__person", "reviews")
                .filter(pk=pk)
                .first()
            )

        register_subject_type(
            SubjectType(
                name="investigation",
                label="Investigation",
                load=load,
                all_ids=lambda: Investigation.objects.values_list("pk", flat=True).iterator(),
                describe=lambda investigation: investigation.reference,
                url=lambda pk: reverse("investigations:detail", args=[pk]),
            )
        )
        for standard in STANDARDS:
            register_standard(standard())
        for parameter in (*ALLOCATION_PARAMETERS, BACKDATE_HOURS):
            register_parameter(parameter)
        register_record_scope(RecordKind.INVESTIGATION, investigation_scope_q)
        searchers = frozenset(
            role for role in REACH if role_can(role, RecordKind.INVESTIGATION, Action.SEARCH)
        )
        register_nav_item(
            "investigations", "Investigations", "investigations:list", roles=searchers, order=30
        )
