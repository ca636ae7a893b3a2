"""The investigations API: supervised or not, when last, by whom, how well, when next due; a
read by a system account is logged as a disclosure to it."""

import datetime as dt

import pytest
import time_machine
from ninja.testing import TestClient

from tests import factories
from tests.investigations.factories import NDM, NOW, cse_case, user
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.investigations import services
from thinkchild.investigations.api import router
from thinkchild.investigations.services import Decision
from thinkchild.org.models import Role, TeamKind

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_an_account_reads_each_investigations_supervision(teams, child, adult, force):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=3))
    sergeant = user(teams[TeamKind.CSE], Role.SUPERVISOR)
    review = services.supervision_review_record(
        actor=sergeant,
        investigation=investigation,
        reviewed_at=NOW - dt.timedelta(hours=2),
        risks_considered="Contact online",
        decisions=[Decision("Arrest", NDM)],
        next_review_by=dt.date(2026, 6, 24),
    )
    services.review_grade(
        actor=user(teams[TeamKind.CSE], Role.DETECTIVE_INSPECTOR),
        review=review,
        grade="good",
        reasons="Proportionate and well reasoned.",
    )
    account = factories.UserFactory(team=None, force=force, role=Role.SYSTEM_ACCOUNT)
    api = TestClient(router)

    listed = api.get("/investigations", user=account).json()
    assert [(i["reference"], i["supervised"], i["last_grade"]) for i in listed] == [
        ("INV-1", True, "Good")
    ]
    assert listed[0]["last_reviewed_by"] == sergeant.display_name
    assert listed[0]["next_review_due"] == "2026-06-24T22:59:59.999Z"  # end of 24 June, BST

    one = api.get(f"/investigations/{investigation.pk}", user=account).json()
    assert one["reviews"][0]["decisions"][0]["decision"] == "Arrest"
    assert (
        ProcessingLogEntry.objects.filter(
            subject_id=investigation.pk, operation=Operation.DISCLOSURE, recipient=account.username
        ).count()
        == 2
    )
