"""Demo investigations with supervision histories: some reviewed on time, some late, some not
yet, some graded, with further work done and outstanding, so the queue and the compliance
overview have something true to show after `make run`.

Made through the investigations services (not the canonical files: investigations have no
interchange record type yet), with each review dated in the past and its backdating explained.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from thinkchild.investigations import services
from thinkchild.investigations.models import Investigation, InvestigationType
from thinkchild.investigations.services import Decision, WorkItem
from thinkchild.org.models import Role, Team, TeamKind, User
from thinkchild.people.models import Person

# (team kind, investigation type, victims are children, suspects are children)
CASES = (
    (TeamKind.RESPONSE, InvestigationType.CHILD_ON_CHILD, True),
    (TeamKind.CHILD_PROTECTION, InvestigationType.CHILD_ABUSE, False),
    (TeamKind.CHILD_PROTECTION, InvestigationType.NEGLECT, False),
    (TeamKind.CSE, InvestigationType.CSE_IN_PERSON, False),
)
BACKDATED = "Demo history: recorded when the demo force was loaded."
NDM = {
    "information": "Victim's account, school safeguarding lead's notes, previous incidents.",
    "assessment": "Risk of further harm while the suspect has access to the child.",
    "powers": "Children Act 1989 s.47 enquiries with children's social care.",
    "options": "Arrest and bail with conditions; voluntary interview; safety plan only.",
    "action": "Arrest and bail with conditions not to contact; review at the next review.",
}


def _people(force, *, children: bool, as_of: dt.date) -> list[Person]:
    cutoff = as_of.replace(year=as_of.year - 17)
    people = Person.objects.filter(force=force, date_of_birth__isnull=False)
    people = (
        people.filter(date_of_birth__gt=cutoff)
        if children
        else people.filter(date_of_birth__lt=as_of.replace(year=as_of.year - 25))
    )
    return list(people.order_by("family_name_key", "given_name_key")[:400])


@transaction.atomic
def demo_investigations_create(*, per_team: int, seed: int) -> int:
    """Open `per_team` investigations in each response, child protection and CSE team, with
    reviews spread over the last three months. Returns how many were opened."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    for team in Team.objects.filter(area__isnull=False).order_by("code"):
        cases = [c for c in CASES if c[0] == team.kind]
        if not cases:
            continue
        staff = list(User.objects.filter(team=team, is_active=True).order_by("username"))
        officers = [u for u in staff if u.role in (Role.OFFICER, Role.SPECIALIST)]
        sergeants = [u for u in staff if u.role == Role.SUPERVISOR]
        graders = list(
            User.objects.filter(
                team__area=team.area, role=Role.DETECTIVE_INSPECTOR, is_active=True
            ).order_by("username")
        )
        if not officers or not sergeants:
            continue
        children = _people(team.force, children=True, as_of=today)
        adults = _people(team.force, children=False, as_of=today)
        for n in range(per_team):
            _, type, child_suspect = cases[n % len(cases)]
            opened = now - dt.timedelta(days=rng.randint(3, 90), hours=rng.randint(0, 8))
            officer = officers[n % len(officers)]
            investigation = services.investigation_open(
                actor=sergeants[0],
                reference=f"INV-{team.code.upper()}-{n + 1:03d}",
                type=type,
                team=team,
                officer=officer,
                victims=[rng.choice(children)],
                suspects=[rng.choice(children if child_suspect else adults)],
                summary="Synthetic demo investigation.",
                at=opened,
            )
            _history(investigation, rng, sergeants, graders, officer, now)
            made += 1
    return made


def _history(investigation: Investigation, rng, sergeants, graders, officer, now) -> None:
    """Reviews every 2 to 5 weeks from opening (some first reviews late, some never), further
    work done or not, the odd grade."""
    at = investigation.opened_at + dt.timedelta(days=rng.choice((2, 4, 6, 9, 12)))
    if rng.random() < 0.15:
        return  # never reviewed: the first review is overdue in the queue
    while at < now - dt.timedelta(hours=2):
        reviewer = rng.choice(sergeants)
        work = []
        if rng.random() < 0.6:
            due = timezone.localdate(at) + dt.timedelta(days=rng.choice((3, 7, 14)))
            work = [WorkItem("Visit the family with children's social care", officer, due)]
        review = services.supervision_review_record(
            actor=reviewer,
            investigation=investigation,
            reviewed_at=at,
            risks_considered="Contact between the suspect and the child; the child's wishes.",
            decisions=[Decision("Continue enquiries under joint agreement", NDM)],
            further_work=work,
            next_review_by=timezone.localdate(at) + dt.timedelta(days=28),
            backdated_reason=BACKDATED,
        )
        for item in review.work.all():
            done = at + dt.timedelta(days=rng.randint(1, 16))
            if done < now and rng.random() < 0.8:
                services.further_work_complete(actor=officer, item=item, done_at=done)
        if graders and rng.random() < 0.3:
            services.review_grade(
                actor=rng.choice(graders),
                review=review,
                grade=rng.choice(("good", "good", "requires_improvement", "inadequate")),
                reasons="Graded in the monthly supervision audit (demo).",
            )
        at += dt.timedelta(days=rng.choice((14, 21, 27, 33, 40)))
