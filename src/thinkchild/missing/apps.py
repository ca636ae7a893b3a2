from datetime import timedelta

from django.apps import AppConfig
from django.urls import reverse


class MissingConfig(AppConfig):
    name = "thinkchild.missing"
    label = "missing"

    def ready(self) -> None:
        from thinkchild.access.policy import REACH, Action, RecordKind, role_can
        from thinkchild.access.scope import register_record_scope
        from thinkchild.incidents.research import register_research_provider
        from thinkchild.missing.chronology import missing_chronology, missing_research
        from thinkchild.missing.models import MissingEpisode
        from thinkchild.missing.policy import PARAMETERS
        from thinkchild.missing.selectors import episode_scope_q
        from thinkchild.missing.standards import STANDARDS
        from thinkchild.people.chronology import register_chronology_provider
        from thinkchild.scheduling.registry import register_tick
        from thinkchild.standards.registry import (
            SubjectType,
            register_parameter,
            register_standard,
            register_subject_type,
        )
        from thinkchild.web.navigation import register_nav_item

        def load(pk):
            return (
                MissingEpisode.objects.select_related(
                    "child", "found", "prevention_interview", "return_home_interview"
                )
                .prefetch_related("gradings", "prompts")
                .filter(pk=pk)
                .first()
            )

        register_subject_type(
            SubjectType(
                name="missing_episode",
                label="Missing episode",
                load=load,
                all_ids=lambda: MissingEpisode.objects.values_list("pk", flat=True).iterator(),
                describe=lambda episode: episode.reference,
                url=lambda pk: reverse("missing:detail", args=[pk]),
            )
        )
        for standard in STANDARDS:
            register_standard(standard())
        for parameter in PARAMETERS:
            register_parameter(parameter)
        register_record_scope(RecordKind.MISSING_EPISODE, episode_scope_q)
        register_chronology_provider("missing", "Missing", missing_chronology)
        register_research_provider("missing", missing_research)
        searchers = frozenset(
            role for role in REACH if role_can(role, RecordKind.MISSING_EPISODE, Action.SEARCH)
        )
        register_nav_item("missing", "Missing children", "missing:list", roles=searchers, order=25)
        counters = frozenset(
            role for role in REACH if role_can(role, RecordKind.AGGREGATES, Action.VIEW_AGGREGATES)
        )
        register_nav_item(
            "missing_summary", "Missing summary", "missing:summary", roles=counters, order=26
        )

        def settle() -> None:
            from thinkchild.missing.services.settle import episodes_settle

            episodes_settle()

        # An import settles its episodes as it ends; this picks up any an interrupted one left.
        register_tick("missing.settle", timedelta(minutes=5), settle)
