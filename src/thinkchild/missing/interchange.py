"""Missing children's episodes in the canonical format, so a force can import its history.

Seven record types: the episode, its risk gradings, its enquiries, the found report, and the
prevention and return home interviews that follow a return (they refer to the found report, so
the return is always written first), and the Philomena profile held for a child. The rules the
services apply to a record typed on screen are applied here too and named as reasons; the one
difference is that a source's "absent" or "no apparent risk" is kept as it was recorded (as very
low, flagged for a supervisor's review) instead of refused.

What follows from an episode's parts together (its current grading, status, repeat count,
closure and obligations) is worked out once per episode after the import (missing.services.settle).
"""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from thinkchild.access.log import Subject
from thinkchild.interchange.records import Item, Outcome, Reason
from thinkchild.interchange.registry import RecordType, register_record_type
from thinkchild.interchange.writing import UpsertContext, row_new, rows_save, rows_upsert
from thinkchild.missing.models import (
    RISK_RANK,
    EnquiryAction,
    EnquiryKind,
    FoundReport,
    InformationSource,
    LegacyCategory,
    MissingEpisode,
    MissingFrom,
    PhilomenaProfile,
    PreventionInterview,
    ReturnHomeInterview,
    RiskGrading,
    RiskLevel,
)
from thinkchild.missing.policy import CHILD_MINIMUM_LEVEL, REVIEW_INTERVAL_HOURS
from thinkchild.missing.services import ABSENT_WORDS, REASON_MIN, SUPERVISOR_ROLES
from thinkchild.missing.services.settle import episodes_mark_unsettled, episodes_settle
from thinkchild.org.models import User
from thinkchild.people.age import age_on
from thinkchild.people.models import Person
from thinkchild.standards.policy import Policy
from thinkchild.standards.rationale import NDM, missing_stages


def _at(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


def _not_future(record: dict, name: str) -> list[Reason]:
    moment = _at(record.get(name))
    if moment and moment > timezone.now():
        return [Reason(name, f"{name} is in the future ({record[name]})")]
    return []


def _not_before(record: dict, name: str, earlier: str) -> list[Reason]:
    later, first = _at(record.get(name)), _at(record.get(earlier))
    if later and first and later < first:
        return [Reason(name, f"{name} {record[name]} is before {earlier} {record[earlier]}")]
    return []


def _rejected(items: list[Item], problems: dict) -> tuple[list[Outcome], list[Item]]:
    outcomes = [Outcome(i, reasons=problems[id(i)]) for i in items if id(i) in problems]
    return outcomes, [i for i in items if id(i) not in problems]


def _episode_subject(episode_id, reference: str) -> Subject:
    return Subject(type="missing_episode", id=episode_id, label=reference)


def _episodes(ids) -> dict:
    """The episodes a batch's records belong to: id -> (reference, reported_at, child id)."""
    return {
        pk: (reference, reported_at, child_id)
        for pk, reference, reported_at, child_id in MissingEpisode.objects.filter(
            pk__in=set(ids)
        ).values_list("pk", "reference", "reported_at", "child_id")
    }


# -- missing_episode ---------------------------------------------------------------------------


def _episode_check(record: dict) -> list[Reason]:
    reasons = _not_future(record, "reported_at") + _not_before(
        record, "reported_at", "last_seen_at"
    )
    reasons += _not_before(record, "closed_at", "reported_at") + _not_future(record, "closed_at")
    if record.get("home_force_reference") and not record.get("home_force"):
        reasons.append(Reason("home_force", "home_force_reference needs the home_force it is of"))
    in_care = record["missing_from"] in (MissingFrom.FOSTER_CARE, MissingFrom.RESIDENTIAL_CARE)
    if (in_care or record.get("looked_after")) and not record.get("responsible_authority"):
        reasons.append(
            Reason("responsible_authority", "a looked-after child's responsible local authority")
        )
    return reasons


def _reasoned(record: dict, name: str) -> bool:
    """A reason the services would take: at least REASON_MIN characters, not just a word."""
    return len((record.get(name) or "").strip()) >= REASON_MIN


EPISODE_FIELDS = [
    "force",
    "area",
    "team",
    "officer",
    "allocated_at",
    "reference",
    "child",
    "is_restricted",
    "reported_at",
    "reported_by",
    "reporter_relationship",
    "recorded_at",
    "missing_from",
    "missing_from_location",
    "responsible_authority",
    "looked_after",
    "last_seen_at",
    "last_seen_where",
    "circumstances",
    "known_risks",
    "adult_associates",
    "home_force",
    "home_force_reference",
    "source_closed_at",
    "settled",
]


def _episode_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    children = {item.ref_id("child", "person") for item in items}
    born = dict(
        Person.objects.filter(pk__in=children, date_of_birth__isnull=False).values_list(
            "pk", "date_of_birth"
        )
    )
    references = {i.record["reference"] for i in items}
    owners = dict(
        MissingEpisode.objects.filter(reference__in=references).values_list("reference", "pk")
    )
    problems: dict[int, list[Reason]] = {}
    claimed: dict[str, int] = {}
    for item in items:
        r, reasons = item.record, []
        owner = owners.get(r["reference"])
        if (owner and owner != item.existing_id) or r["reference"] in claimed:
            where = (
                f"line {claimed[r['reference']]}"
                if r["reference"] in claimed
                else "another episode"
            )
            reasons.append(
                Reason("reference", f"reference {r['reference']} already belongs to {where}")
            )
        claimed.setdefault(r["reference"], item.line.number)
        child = item.ref_id("child", "person")
        day = timezone.localdate(_at(r["reported_at"]))
        if child in born and age_on(Person(date_of_birth=born[child]), day) >= 18:
            reasons.append(
                Reason("child", f"born {born[child]:%d/%m/%Y}: 18 or over on the day reported")
            )
        if reasons:
            problems[id(item)] = reasons
    outcomes, items = _rejected(items, problems)

    def build(item):
        r = item.record
        officer = item.ref_id("officer", "user")
        in_care = r["missing_from"] in (MissingFrom.FOSTER_CARE, MissingFrom.RESIDENTIAL_CARE)
        return {
            "force_id": ctx.force.pk,
            "area_id": item.ref_id("area", "area"),
            "team_id": item.ref_id("team", "team"),
            "officer_id": officer,
            "allocated_at": _at(r["reported_at"]) if officer else None,
            "reference": r["reference"],
            "child_id": item.ref_id("child", "person"),
            "is_restricted": bool(r.get("restricted")),
            "reported_at": _at(r["reported_at"]),
            "reported_by": r["reported_by"],
            "reporter_relationship": r.get("reporter_relationship") or "",
            "recorded_at": ctx.now,
            "missing_from": r["missing_from"],
            "missing_from_location_id": item.ref_id("missing_from_location", "location"),
            "responsible_authority_id": item.ref_id("responsible_authority", "organisation"),
            "looked_after": bool(r.get("looked_after")) or in_care,
            "last_seen_at": _at(r.get("last_seen_at")),
            "last_seen_where": r.get("last_seen_where") or "",
            "circumstances": r.get("circumstances") or "",
            "known_risks": sorted(set(r.get("known_risks") or [])),
            "adult_associates": r.get("adult_associates") or "",
            "home_force": r.get("home_force") or "",
            "home_force_reference": r.get("home_force_reference") or "",
            "source_closed_at": _at(r.get("closed_at")),
            "settled": False,
        }

    def subjects(row):
        return [_episode_subject(row.id, row.reference)]

    return outcomes + rows_upsert(MissingEpisode, items, ctx, EPISODE_FIELDS, build, subjects)


def _episode_export(ctx):
    for e in MissingEpisode.objects.order_by("reported_at", "pk").iterator(chunk_size=2000):
        yield (
            e.pk,
            {
                "reference": e.reference,
                "child": ctx.ref("person", e.child_id),
                "area": ctx.ref("area", e.area_id),
                "team": ctx.ref("team", e.team_id),
                "officer": ctx.ref("user", e.officer_id),
                "reported_at": _iso(e.reported_at),
                "reported_by": e.reported_by,
                "reporter_relationship": e.reporter_relationship or None,
                "missing_from": e.missing_from,
                "missing_from_location": ctx.ref("location", e.missing_from_location_id),
                "responsible_authority": ctx.ref("organisation", e.responsible_authority_id),
                "looked_after": e.looked_after or None,
                "last_seen_at": _iso(e.last_seen_at),
                "last_seen_where": e.last_seen_where or None,
                "circumstances": e.circumstances or None,
                "known_risks": e.known_risks or None,
                "adult_associates": e.adult_associates or None,
                "home_force": e.home_force or None,
                "home_force_reference": e.home_force_reference or None,
                "restricted": e.is_restricted or None,
                "closed_at": _iso(e.closed_at or e.source_closed_at),
            },
        )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


# -- risk_grading ------------------------------------------------------------------------------


def _legacy(record: dict) -> LegacyCategory | None:
    level = record["level"]
    if level in ABSENT_WORDS:
        return LegacyCategory(level)
    return None


def _grading_check(record: dict) -> list[Reason]:
    reasons = _not_future(record, "graded_at")
    graded_at = _at(record["graded_at"])
    if _legacy(record) is None:
        model = record.get("rationale_model") or NDM
        missing = missing_stages(record.get("rationale") or {}, model)
        if missing:
            reasons.append(
                Reason("rationale", f"the rationale has no {', '.join(missing)} ({model})")
            )
        if not record.get("sources"):
            reasons.append(
                Reason("sources", "a grading names the information it used, with its time")
            )
    for n, source in enumerate(record.get("sources") or []):
        if _at(source["obtained_at"]) > graded_at:
            reasons.append(
                Reason(f"sources.{n}.obtained_at", "obtained after the grading it informed")
            )
    review = _at(record.get("next_review_at"))
    if review and review <= graded_at:
        reasons.append(Reason("next_review_at", "the next review is not after the grading"))
    if record.get("override_by") and not _reasoned(record, "override_rationale"):
        reasons.append(Reason("override_rationale", "an override needs the supervisor's rationale"))
    return reasons


GRADING_FIELDS = [
    "episode",
    "level",
    "legacy_category",
    "graded_by",
    "graded_by_label",
    "supervisory",
    "graded_at",
    "recorded_at",
    "model",
    "rationale",
    "next_review_at",
    "override_by",
    "override_rationale",
]


def _grading_problems(items: list[Item], episodes: dict, users: dict) -> dict:
    policy = Policy()
    born = dict(
        Person.objects.filter(
            pk__in={child for _, _, child in episodes.values()}, date_of_birth__isnull=False
        ).values_list("pk", "date_of_birth")
    )
    problems: dict[int, list[Reason]] = {}
    for item in items:
        r, reasons = item.record, []
        reference, reported_at, child = episodes[item.ref_id("episode", "missing_episode")]
        graded_at = _at(r["graded_at"])
        if graded_at < reported_at:
            reasons.append(
                Reason("graded_at", f"before {reference} was reported ({_when(reported_at)})")
            )
        review = _at(r.get("next_review_at"))
        if review and _legacy(r) is None:
            hours = policy(REVIEW_INTERVAL_HOURS.key, graded_at)[r["level"]]
            if review > graded_at + dt.timedelta(hours=hours):
                reasons.append(
                    Reason(
                        "next_review_at", f"more than {hours} hours after a {r['level']} grading"
                    )
                )
        level = RiskLevel.VERY_LOW if _legacy(r) else RiskLevel(r["level"])
        minimum = RiskLevel(policy(CHILD_MINIMUM_LEVEL.key, graded_at))
        day = timezone.localdate(graded_at)
        is_child = child not in born or age_on(Person(date_of_birth=born[child]), day) < 18
        overrider = users.get(item.ref_id("override_by", "user"))
        if _legacy(r) is None and is_child and RISK_RANK[level] < RISK_RANK[minimum]:
            if overrider is None:
                reasons.append(
                    Reason(
                        "override_by",
                        f"a child graded below {minimum.label.lower()} needs a "
                        "supervisor's override",
                    )
                )
            elif overrider.role not in SUPERVISOR_ROLES:
                reasons.append(Reason("override_by", f"{overrider} is not a supervisor"))
        if reasons:
            problems[id(item)] = reasons
    return problems


def _grading_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    episodes = _episodes(item.ref_id("episode", "missing_episode") for item in items)
    people = {
        uid
        for item in items
        for uid in (item.ref_id("graded_by", "user"), item.ref_id("override_by", "user"))
        if uid
    }
    users = {u.pk: u for u in User.objects.filter(pk__in=people)}
    outcomes, items = _rejected(items, _grading_problems(items, episodes, users))

    def build(item):
        r = item.record
        legacy = _legacy(r)
        grader = users.get(item.ref_id("graded_by", "user"))
        overrider = item.ref_id("override_by", "user")
        return {
            "episode_id": item.ref_id("episode", "missing_episode"),
            "level": RiskLevel.VERY_LOW if legacy else r["level"],
            "legacy_category": legacy or LegacyCategory.NONE,
            "graded_by_id": grader.pk if grader else None,
            "graded_by_label": (grader.get_full_name() if grader else "")
            or r.get("graded_by_name")
            or "",
            "supervisory": bool(grader and grader.role in SUPERVISOR_ROLES),
            "graded_at": _at(r["graded_at"]),
            "recorded_at": ctx.now,
            "model": "" if legacy else (r.get("rationale_model") or NDM),
            "rationale": r.get("rationale") or {},
            "next_review_at": _at(r.get("next_review_at")),
            "override_by_id": overrider,
            "override_rationale": (r.get("override_rationale") or "") if overrider else "",
        }

    def subjects(row):
        return [_episode_subject(row.episode_id, episodes[row.episode_id][0])]

    accepted = rows_upsert(RiskGrading, items, ctx, GRADING_FIELDS, build, subjects)
    _sources_replace(accepted, ctx)
    episodes_mark_unsettled(episodes_of(o) for o in accepted)
    return outcomes + accepted


def episodes_of(outcome: Outcome):
    return outcome.item.ref_id("episode", "missing_episode")


def _sources_replace(outcomes: list[Outcome], ctx: UpsertContext) -> None:
    """A grading's sources are the whole list: a re-import replaces them."""
    updated = [o.object_id for o in outcomes if not o.created]
    if updated:
        InformationSource.objects.filter(grading_id__in=updated).delete()
    rows = [
        row_new(
            InformationSource,
            {
                "grading_id": o.object_id,
                "information": s["information"],
                "source": s["source"],
                "contact": s.get("contact") or "",
                "obtained_at": _at(s["obtained_at"]),
            },
        )
        for o in outcomes
        for s in o.item.record.get("sources") or []
    ]
    rows_save(InformationSource, new=rows, changed=[], fields=[], ctx=ctx)


def _grading_export(ctx):
    gradings = RiskGrading.objects.order_by("graded_at", "pk").prefetch_related("sources")
    for g in gradings.iterator(chunk_size=2000):
        yield (
            g.pk,
            {
                "episode": ctx.ref("missing_episode", g.episode_id),
                "level": g.legacy_category or g.level,
                "graded_at": _iso(g.graded_at),
                "graded_by": ctx.ref("user", g.graded_by_id),
                "graded_by_name": None if g.graded_by_id else (g.graded_by_label or None),
                "rationale_model": g.model or None,
                "rationale": g.rationale or None,
                "sources": [
                    {
                        "information": s.information,
                        "source": s.source,
                        "contact": s.contact or None,
                        "obtained_at": _iso(s.obtained_at),
                    }
                    for s in g.sources.all()
                ]
                or None,
                "next_review_at": _iso(g.next_review_at),
                "override_by": ctx.ref("user", g.override_by_id),
                "override_rationale": g.override_rationale or None,
            },
        )


# -- enquiry_action ----------------------------------------------------------------------------


def _enquiry_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    episodes = _episodes(item.ref_id("episode", "missing_episode") for item in items)
    doers = {
        u.pk: u for u in User.objects.filter(pk__in={i.ref_id("done_by", "user") for i in items})
    }
    problems = {}
    for item in items:
        doer = doers.get(item.ref_id("done_by", "user"))
        if (
            item.record["kind"] == EnquiryKind.DIRECTION
            and doer
            and doer.role not in SUPERVISOR_ROLES
        ):
            problems[id(item)] = [
                Reason(
                    "done_by", f"{doer} is not a supervisor: only a supervisor directs the search"
                )
            ]
    outcomes, items = _rejected(items, problems)

    def build(item):
        r = item.record
        doer = doers.get(item.ref_id("done_by", "user"))
        return {
            "episode_id": item.ref_id("episode", "missing_episode"),
            "kind": r["kind"],
            "done_by_id": doer.pk if doer else None,
            "done_by_label": (doer.get_full_name() if doer else "") or r.get("done_by_name") or "",
            "done_at": _at(r["done_at"]),
            "recorded_at": ctx.now,
            "details": r["details"],
            "result": r.get("result") or "",
        }

    fields = [
        "episode",
        "kind",
        "done_by",
        "done_by_label",
        "done_at",
        "recorded_at",
        "details",
        "result",
    ]

    def subjects(row):
        return [_episode_subject(row.episode_id, episodes[row.episode_id][0])]

    return outcomes + rows_upsert(EnquiryAction, items, ctx, fields, build, subjects)


def _enquiry_export(ctx):
    for a in EnquiryAction.objects.order_by("done_at", "pk").iterator(chunk_size=2000):
        yield (
            a.pk,
            {
                "episode": ctx.ref("missing_episode", a.episode_id),
                "kind": a.kind,
                "done_at": _iso(a.done_at),
                "done_by": ctx.ref("user", a.done_by_id),
                "done_by_name": None if a.done_by_id else (a.done_by_label or None),
                "details": a.details,
                "result": a.result or None,
            },
        )


# -- found_report ------------------------------------------------------------------------------


def _found_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    episode_ids = {item.ref_id("episode", "missing_episode") for item in items}
    episodes = _episodes(episode_ids)
    allocated = dict(
        MissingEpisode.objects.filter(pk__in=episode_ids).values_list("pk", "allocated_at")
    )
    taken = dict(
        FoundReport.objects.filter(episode_id__in=episode_ids).values_list("episode_id", "pk")
    )
    problems: dict[int, list[Reason]] = {}
    claimed: dict = {}
    for item in items:
        episode = item.ref_id("episode", "missing_episode")
        reference, reported_at, _ = episodes[episode]
        reasons = []
        if _at(item.record["found_at"]) < reported_at:
            reasons.append(
                Reason("found_at", f"before {reference} was reported ({_when(reported_at)})")
            )
        if (taken.get(episode, item.existing_id) != item.existing_id) or episode in claimed:
            where = f"line {claimed[episode]}" if episode in claimed else "another found report"
            reasons.append(Reason("episode", f"{reference} already has a found report ({where})"))
        claimed.setdefault(episode, item.line.number)
        if reasons:
            problems[id(item)] = reasons
    outcomes, items = _rejected(items, problems)

    def build(item):
        r = item.record
        episode = item.ref_id("episode", "missing_episode")
        found_at = _at(r["found_at"])
        return {
            "episode_id": episode,
            "found_at": found_at,
            "found_where": r["found_where"],
            "found_with": r.get("found_with") or "",
            "found_by": r["found_by"],
            "before_allocation": allocated[episode] is None or allocated[episode] > found_at,
            "recorded_at": ctx.now,
        }

    fields = [
        "episode",
        "found_at",
        "found_where",
        "found_with",
        "found_by",
        "before_allocation",
        "recorded_at",
    ]

    def subjects(row):
        return [_episode_subject(row.episode_id, episodes[row.episode_id][0])]

    accepted = rows_upsert(FoundReport, items, ctx, fields, build, subjects)
    episodes_mark_unsettled(episodes_of(o) for o in accepted)
    return outcomes + accepted


def _found_export(ctx):
    for f in FoundReport.objects.order_by("found_at", "pk").iterator(chunk_size=2000):
        yield (
            f.pk,
            {
                "episode": ctx.ref("missing_episode", f.episode_id),
                "found_at": _iso(f.found_at),
                "found_where": f.found_where,
                "found_with": f.found_with or None,
                "found_by": f.found_by,
            },
        )


# -- prevention_interview and return_home_interview ---------------------------------------------


def _returns(items: list[Item]) -> dict:
    """The found reports a batch's interviews follow: id -> (episode id, reference, found_at)."""
    ids = {item.ref_id("found", "found_report") for item in items}
    return {
        pk: (episode_id, reference, found_at)
        for pk, episode_id, reference, found_at in FoundReport.objects.filter(
            pk__in=ids
        ).values_list("pk", "episode_id", "episode__reference", "found_at")
    }


def _one_per_episode(model, items, returns, problems, what: str) -> None:
    """An episode has one prevention interview and one return home interview record."""
    episodes = {episode for episode, _, _ in returns.values()}
    taken = dict(model.objects.filter(episode_id__in=episodes).values_list("episode_id", "pk"))
    claimed: dict = {}
    for item in items:
        episode, reference, _ = returns[item.ref_id("found", "found_report")]
        if taken.get(episode, item.existing_id) != item.existing_id or episode in claimed:
            where = f"line {claimed[episode]}" if episode in claimed else "another record"
            problems.setdefault(id(item), []).append(
                Reason("found", f"{reference} already has its {what} ({where})")
            )
        claimed.setdefault(episode, item.line.number)


def _after_return(item, returns, names, problems) -> None:
    _, reference, found_at = returns[item.ref_id("found", "found_report")]
    for name in names:
        moment = _at(item.record.get(name))
        if moment and moment < found_at:
            problems.setdefault(id(item), []).append(
                Reason(name, f"before the return of {reference} ({_when(found_at)})")
            )


def _interview_check(record: dict) -> list[Reason]:
    reasons = _not_future(record, "held_at")
    if record["done"]:
        for name, what in (
            ("held_at", "when it was held"),
            ("method", "face_to_face or telephone"),
            ("child_account", "what the child said"),
        ):
            if not record.get(name):
                reasons.append(Reason(name, f"a prevention interview held needs {what}"))
        if record.get("method") == "telephone" and not _reasoned(record, "method_reason"):
            reasons.append(Reason("method_reason", "a telephone interview needs the reason"))
    elif not _reasoned(record, "not_done_reason"):
        reasons.append(Reason("not_done_reason", "say why the prevention interview was not done"))
    return reasons


def _interview_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    returns = _returns(items)
    problems: dict[int, list[Reason]] = {}
    _one_per_episode(PreventionInterview, items, returns, problems, "prevention interview")
    for item in items:
        _after_return(item, returns, ("held_at",), problems)
    outcomes, items = _rejected(items, problems)
    holders = {
        u.pk: u for u in User.objects.filter(pk__in={i.ref_id("held_by", "user") for i in items})
    }

    def build(item):
        r = item.record
        done = r["done"]
        holder = holders.get(item.ref_id("held_by", "user"))
        return {
            "episode_id": returns[item.ref_id("found", "found_report")][0],
            "done": done,
            "held_at": _at(r.get("held_at")) if done else None,
            "held_by_id": holder.pk if holder and done else None,
            "held_by_label": (
                (holder.get_full_name() if holder else "") or r.get("held_by_name") or ""
            )
            if done
            else "",
            "method": (r.get("method") or "") if done else "",
            "method_reason": (r.get("method_reason") or "") if done else "",
            "child_account": (r.get("child_account") or "") if done else "",
            "risks_found": (r.get("risks_found") or "") if done else "",
            "not_done_reason": "" if done else r["not_done_reason"],
            "recorded_at": ctx.now,
        }

    fields = [
        "episode",
        "done",
        "held_at",
        "held_by",
        "held_by_label",
        "method",
        "method_reason",
        "child_account",
        "risks_found",
        "not_done_reason",
        "recorded_at",
    ]
    accepted = rows_upsert(
        PreventionInterview, items, ctx, fields, build, lambda row: _subjects_of(row, returns)
    )
    episodes_mark_unsettled(returns[o.item.ref_id("found", "found_report")][0] for o in accepted)
    return outcomes + accepted


def _subjects_of(row, returns) -> list[Subject]:
    references = {episode: reference for episode, reference, _ in returns.values()}
    return [_episode_subject(row.episode_id, references[row.episode_id])]


def _found_ref(ctx, episode_id):
    found = FoundReport.objects.filter(episode_id=episode_id).values_list("pk", flat=True).first()
    return ctx.ref("found_report", found)


def _interview_export(ctx):
    for i in PreventionInterview.objects.order_by("recorded_at", "pk").iterator(chunk_size=2000):
        yield (
            i.pk,
            {
                "found": _found_ref(ctx, i.episode_id),
                "done": i.done,
                "held_at": _iso(i.held_at),
                "held_by": ctx.ref("user", i.held_by_id),
                "held_by_name": None if i.held_by_id else (i.held_by_label or None),
                "method": i.method or None,
                "method_reason": i.method_reason or None,
                "child_account": i.child_account or None,
                "risks_found": i.risks_found or None,
                "not_done_reason": i.not_done_reason or None,
            },
        )


RHI_TIMES = ("authority_notified_at", "offered_at", "held_at", "findings_received_at")


def _rhi_check(record: dict) -> list[Reason]:
    reasons = []
    for name in (*RHI_TIMES, "protective_plan_updated_at"):
        reasons += _not_future(record, name)
    reasons += _not_before(record, "held_at", "offered_at")
    if record.get("held_at") and record.get("declined"):
        reasons.append(Reason("declined", "an interview the child declined was not held"))
    if record.get("findings_received_at") and not (record.get("findings") or "").strip():
        reasons.append(Reason("findings", "findings_received_at needs the findings"))
    if (record.get("findings") or "").strip() and not record.get("findings_received_at"):
        reasons.append(Reason("findings_received_at", "say when the findings were received"))
    if (
        record.get("protective_plan_updated_at")
        and not (record.get("police_actions") or "").strip()
    ):
        reasons.append(Reason("police_actions", "say what changed in the protective plan"))
    return reasons


def _rhi_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    returns = _returns(items)
    problems: dict[int, list[Reason]] = {}
    _one_per_episode(ReturnHomeInterview, items, returns, problems, "return home interview")
    for item in items:
        _after_return(item, returns, RHI_TIMES, problems)
    outcomes, items = _rejected(items, problems)

    def build(item):
        r = item.record
        return {
            "episode_id": returns[item.ref_id("found", "found_report")][0],
            **{name: _at(r.get(name)) for name in RHI_TIMES},
            "declined": bool(r.get("declined")),
            "findings": r.get("findings") or "",
            "police_actions": r.get("police_actions") or "",
            "protective_plan_updated_at": _at(r.get("protective_plan_updated_at")),
        }

    fields = [
        "episode",
        *RHI_TIMES,
        "declined",
        "findings",
        "police_actions",
        "protective_plan_updated_at",
    ]
    accepted = rows_upsert(
        ReturnHomeInterview, items, ctx, fields, build, lambda row: _subjects_of(row, returns)
    )
    episodes_mark_unsettled(returns[o.item.ref_id("found", "found_report")][0] for o in accepted)
    return outcomes + accepted


def _rhi_export(ctx):
    for i in ReturnHomeInterview.objects.order_by("pk").iterator(chunk_size=2000):
        yield (
            i.pk,
            {
                "found": _found_ref(ctx, i.episode_id),
                **{name: _iso(getattr(i, name)) for name in RHI_TIMES},
                "declined": i.declined or None,
                "findings": i.findings or None,
                "police_actions": i.police_actions or None,
                "protective_plan_updated_at": _iso(i.protective_plan_updated_at),
            },
        )


# -- philomena_profile -------------------------------------------------------------------------

PROFILE_PARTS = ("photo_reference", "associates", "places", "phones", "medical", "missing_history")


def _profile_check(record: dict) -> list[Reason]:
    return _not_future(record, "updated_at") + _not_future(record, "reviewed_at")


def _profile_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    children = {item.ref_id("child", "person") for item in items}
    taken = dict(
        PhilomenaProfile.objects.filter(child_id__in=children).values_list("child_id", "pk")
    )
    problems, claimed = {}, defaultdict(list)
    for item in items:
        child = item.ref_id("child", "person")
        if taken.get(child, item.existing_id) != item.existing_id or claimed[child]:
            problems[id(item)] = [Reason("child", "the child already has a Philomena profile")]
        claimed[child].append(item)
    outcomes, items = _rejected(items, problems)
    names = dict(Person.objects.filter(pk__in=children).values_list("pk", "given_name"))

    def build(item):
        r = item.record
        return {
            "force_id": ctx.force.pk,
            "child_id": item.ref_id("child", "person"),
            "held_by": r["held_by"],
            "description": r["description"],
            **{name: r.get(name) or "" for name in PROFILE_PARTS},
            "updated_at": _at(r["updated_at"]),
            "reviewed_at": _at(r.get("reviewed_at")),
        }

    fields = [
        "force",
        "child",
        "held_by",
        "description",
        *PROFILE_PARTS,
        "updated_at",
        "reviewed_at",
    ]

    def subjects(row):
        return [Subject(type="person", id=row.child_id, label=names.get(row.child_id, ""))]

    return outcomes + rows_upsert(PhilomenaProfile, items, ctx, fields, build, subjects)


def _profile_export(ctx):
    for p in PhilomenaProfile.objects.order_by("pk").iterator(chunk_size=2000):
        yield (
            p.pk,
            {
                "child": ctx.ref("person", p.child_id),
                "held_by": p.held_by,
                "description": p.description,
                **{name: getattr(p, name) or None for name in PROFILE_PARTS},
                "updated_at": _iso(p.updated_at),
                "reviewed_at": _iso(p.reviewed_at),
            },
        )


def _finish() -> None:
    episodes_settle()


register_record_type(
    RecordType(
        "missing_episode", 1, _episode_upsert, _episode_export, check=_episode_check, finish=_finish
    )
)
register_record_type(
    RecordType("risk_grading", 1, _grading_upsert, _grading_export, check=_grading_check)
)
register_record_type(
    RecordType(
        "enquiry_action",
        1,
        _enquiry_upsert,
        _enquiry_export,
        check=lambda r: _not_future(r, "done_at"),
    )
)
register_record_type(
    RecordType(
        "found_report", 1, _found_upsert, _found_export, check=lambda r: _not_future(r, "found_at")
    )
)
register_record_type(
    RecordType(
        "prevention_interview", 1, _interview_upsert, _interview_export, check=_interview_check
    )
)
register_record_type(
    RecordType("return_home_interview", 1, _rhi_upsert, _rhi_export, check=_rhi_check)
)
register_record_type(
    RecordType("philomena_profile", 1, _profile_upsert, _profile_export, check=_profile_check)
)
