"""Investigation pages: supervision at a glance, and a review recorded from the form."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.investigations.factories import NOW, cse_case, user
from tests.org.sessions import sign_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.org.models import Role, TeamKind
from thinkchild.standards.models import Obligation, ObligationStatus

pytestmark = pytest.mark.django_db


def review_form(owner, **changes):
    data = {
        "reviewed_on_day": "10",
        "reviewed_on_month": "6",
        "reviewed_on_year": "2026",
        "reviewed_time": "11:30",
        "risks_considered": "Victim still in contact with the suspect through a gaming site.",
        "decision": "Seek a child abduction warning notice",
        "ndm_information": "Messages on the victim's phone",
        "ndm_assessment": "High risk",
        "ndm_powers": "Child Abduction Act 1984 s.2",
        "ndm_options": "CAWN or arrest",
        "ndm_action": "CAWN today; review in a week",
        "next_review_by_day": "17",
        "next_review_by_month": "6",
        "next_review_by_year": "2026",
        "work_description": "Serve the CAWN",
        "work_owner": str(owner.pk),
        "work_due_on_day": "11",
        "work_due_on_month": "6",
        "work_due_on_year": "2026",
    }
    return {**data, **changes}


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_records_a_review_and_the_first_review_obligation_is_met(
    client, teams, child, adult
):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    sergeant = user(teams[TeamKind.CSE], Role.SUPERVISOR)
    sign_in(client, sergeant)
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert "Not yet supervised" in page

    response = client.post(
        reverse("investigations:review", args=[investigation.pk]),
        review_form(investigation.officer),
    )
    assert response.status_code == 302
    first = Obligation.objects.get(standard_id="investigations.first_supervision_review")
    assert first.status == ObligationStatus.MET_ON_TIME
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert "Seek a child abduction warning notice" in page
    assert ProcessingLogEntry.objects.filter(
        subject_id=investigation.pk, operation=Operation.CONSULTATION, actor=sergeant
    ).exists()


@time_machine.travel(NOW, tick=False)
def test_the_investigations_own_officer_is_refused_with_the_reason_on_the_page(
    client, teams, child, adult
):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    officer = investigation.officer
    officer.role = Role.SUPERVISOR
    officer.save(update_fields=["role"])
    sign_in(client, officer)
    response = client.post(
        reverse("investigations:review", args=[investigation.pk]), review_form(officer)
    )
    assert response.status_code == 200
    assert "own officer cannot supervise it" in response.content.decode()
    assert not investigation.reviews.exists()


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_when_last_supervised_by_whom_and_when_next_due(client, teams, child, adult):
    recent = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    sign_in(client, user(teams[TeamKind.CSE], Role.SUPERVISOR))
    page = client.get(reverse("investigations:list")).content.decode()
    assert recent.reference in page
    assert "Not yet supervised" in page
    assert "15 Jun 2026" in page  # seven days after allocation on 8 June
    assert "Overdue" not in page
    cse_case(teams, child, adult, reference="INV-OLD", at=NOW - dt.timedelta(days=9))
    assert "Overdue" in client.get(reverse("investigations:list")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_detective_inspector_grades_a_review_from_the_page(client, teams, child, adult):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    sergeant = user(teams[TeamKind.CSE], Role.SUPERVISOR)
    sign_in(client, sergeant)
    client.post(
        reverse("investigations:review", args=[investigation.pk]),
        review_form(investigation.officer),
    )
    review = investigation.reviews.get()
    sign_in(client, user(teams[TeamKind.CSE], Role.DETECTIVE_INSPECTOR))
    response = client.post(
        reverse("investigations:grade", args=[review.pk]),
        {"grade": "good", "reasons": "Clear rationale at every stage; proportionate action."},
    )
    assert response.status_code == 302
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert "Good: Clear rationale" in page


@time_machine.travel(NOW, tick=False)
def test_a_meeting_decision_is_recorded_from_the_investigation_page(client, teams, child, adult):
    from thinkchild.investigations import services

    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    outcome = services.meeting_outcome_link(
        actor=investigation.officer,
        investigation=investigation,
        meeting="strategy discussion",
        held_at=NOW - dt.timedelta(hours=3),
        outcome="Joint visit with social care tomorrow.",
    )
    sign_in(client, investigation.officer)
    page = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert "Record this decision on the investigation" in page
    client.post(reverse("investigations:meeting_record", args=[outcome.pk]))
    decision = Obligation.objects.get(standard_id="investigations.meeting_decision_recorded")
    assert decision.status == ObligationStatus.MET_ON_TIME


@time_machine.travel(NOW, tick=False)
def test_an_investigation_is_opened_from_an_incident_and_reallocated_from_its_page(
    client, teams, child, adult
):
    from tests import factories
    from thinkchild.investigations.models import Allocation, Investigation

    team = teams[TeamKind.CSE]
    incident = factories.IncidentFactory(
        force=team.force, area=team.area, team=team, reference="INC-77"
    )
    factories.ParticipantFactory(incident=incident, person=child, role="victim")
    factories.ParticipantFactory(incident=incident, person=adult, role="suspect")
    sergeant = user(team, Role.SUPERVISOR)
    sign_in(client, sergeant)
    response = client.post(
        reverse("investigations:open"),
        {"incident_reference": "inc-77", "type": "cse_in_person", "team": str(team.pk)},
    )
    investigation = Investigation.objects.get()
    assert response.status_code == 302
    assert investigation.reference == "INV-INC-77"
    assert set(investigation.incidents.all()) == {incident}
    assert {(p.role, p.person) for p in investigation.people.all()} == {
        ("victim", child),
        ("suspect", adult),
    }

    protection = teams[TeamKind.CHILD_PROTECTION]
    response = client.post(
        reverse("investigations:reallocate", args=[investigation.pk]),
        {"team": str(protection.pk), "reason": "Joint investigation with the safeguarding team"},
    )
    assert response.status_code == 302
    moved = Allocation.objects.get(investigation=investigation, team=protection)
    assert (moved.allocated_by, moved.reason) == (
        sergeant,
        "Joint investigation with the safeguarding team",
    )
    investigation.refresh_from_db()
    assert investigation.team == protection


@time_machine.travel(NOW, tick=False)
def test_an_unknown_incident_reference_is_refused_on_the_page(client, teams):
    sign_in(client, user(teams[TeamKind.CSE], Role.SUPERVISOR))
    response = client.post(
        reverse("investigations:open"),
        {"incident_reference": "NOPE-1", "type": "other", "team": str(teams[TeamKind.CSE].pk)},
    )
    assert "No incident has the reference NOPE-1" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_grading_a_review_of_an_investigation_in_another_area_asks_for_a_reason(
    client, teams, child, adult, force
):
    from tests import factories

    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    review = services_review(investigation, user(teams[TeamKind.CSE], Role.SUPERVISOR))
    elsewhere = factories.TeamFactory(area=factories.AreaFactory(force=force), force=force)
    sign_in(client, user(elsewhere, Role.DETECTIVE_INSPECTOR))
    response = client.get(reverse("investigations:grade", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:reason"))


def services_review(investigation, reviewer):
    from tests.investigations.factories import NDM
    from thinkchild.investigations import services
    from thinkchild.investigations.services import Decision

    return services.supervision_review_record(
        actor=reviewer,
        investigation=investigation,
        reviewed_at=NOW - dt.timedelta(hours=1),
        risks_considered="Contact online",
        decisions=[Decision("Arrest", NDM)],
        next_review_by=dt.date(2026, 6, 24),
    )
