"""The web side of access: asking for a reason, refusing with a reason, and the processing log."""

import csv
import io
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.access.factories import person_in, user_in
from tests.org.sessions import enforce_two_factor, sign_in
from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.policy import RecordKind
from thinkchild.access.web import reason_for
from thinkchild.org.models import Role
from thinkchild.web.navigation import nav_items_for

REASON = "Child reported missing from the neighbouring area tonight"


@pytest.fixture
def areas(force):
    return factories.AreaFactory(force=force), factories.AreaFactory(force=force)


@pytest.mark.urls("tests.access.urls")
def test_out_of_scope_record_asks_why_then_opens_and_logs_the_reason(client, areas):
    own, other = areas
    officer = user_in(own, Role.OFFICER)
    child = person_in(other, given_name="Maisie")
    sign_in(client, officer)
    page = reverse("test_person", args=[child.pk])

    response = client.get(page)
    assert response.status_code == 302
    question = urlsplit(response["Location"])
    assert question.path == reverse("access:reason")
    params = {k: v[0] for k, v in parse_qs(question.query).items()}
    assert params == {"kind": "person", "id": str(child.pk), "next": page}

    form = client.get(response["Location"])
    assert form.status_code == 200
    assert "Why do you need to open this record?" in form.text
    assert "person record" in form.text

    too_short = client.post(reverse("access:reason"), {**params, "reason": "work"})
    assert too_short.status_code == 200
    assert "There is a problem" in too_short.text
    assert "Reason must be 10 characters or more" in too_short.text
    assert not ProcessingLogEntry.objects.exists()

    answered = client.post(reverse("access:reason"), {**params, "reason": REASON})
    assert answered.status_code == 302
    assert answered["Location"] == page

    opened = client.get(page)
    assert opened.status_code == 200
    assert "Person record of Maisie" in opened.text
    entry = ProcessingLogEntry.objects.get(subject_id=child.pk)
    assert (entry.operation, entry.out_of_scope, entry.justification) == (
        Operation.CONSULTATION,
        True,
        REASON,
    )
    assert reason_for(opened.wsgi_request, RecordKind.PERSON, child.pk) == REASON


@pytest.mark.urls("tests.access.urls")
def test_a_reason_is_asked_for_again_after_thirty_minutes(client, areas, settings):
    settings.SESSION_IDLE_SECONDS = 3600  # so that idle expiry does not sign the user out first
    own, other = areas
    child = person_in(other)
    sign_in(client, user_in(own, Role.OFFICER))
    page = reverse("test_person", args=[child.pk])
    params = {"kind": "person", "id": str(child.pk), "next": page}
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.post(reverse("access:reason"), {**params, "reason": REASON})
        assert client.get(page).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(page).status_code == 200
        traveller.shift(2 * 60)
        response = client.get(page)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("access:reason")


@pytest.mark.urls("tests.access.urls")
def test_a_refused_record_gets_a_403_page_saying_why(client, areas):
    own, _ = areas
    child = person_in(own, is_restricted=True)
    sign_in(client, user_in(own, Role.CONTROL_ROOM))
    response = client.get(reverse("test_person", args=[child.pk]))
    assert response.status_code == 403
    assert "You cannot open this record" in response.text
    assert "restricted to the people on its access list" in response.text
    assert not ProcessingLogEntry.objects.exists()


def test_the_reason_page_never_redirects_off_site(client, area):
    sign_in(client, user_in(area, Role.OFFICER))
    person = person_in(area)
    response = client.post(
        reverse("access:reason"),
        {"kind": "person", "id": str(person.pk), "next": "https://evil.example/", "reason": REASON},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_the_reason_page_refuses_a_link_that_names_no_record(client, area):
    sign_in(client, user_in(area, Role.OFFICER))
    assert client.get(reverse("access:reason"), {"kind": "users", "id": "x"}).status_code == 400


def _log(subject, actor, justification="In scope: own area", **kwargs):
    return processing_log_record(
        operation=kwargs.pop("operation", Operation.CONSULTATION),
        actor=actor,
        subject=subject,
        justification=justification,
        **kwargs,
    )


@pytest.fixture
def logged(area):
    """Two officers looked at a child; one of them also at another person."""
    child = Subject(type="person", id=person_in(area).pk, label="Maisie Brown")
    other = Subject(type="person", id=person_in(area).pk, label="Tom Green")
    officer = user_in(area, Role.OFFICER, first_name="Asha", last_name="Patel")
    colleague = user_in(area, Role.OFFICER, first_name="Ben", last_name="Jones")
    _log(child, officer, justification=REASON, out_of_scope=True)
    _log(child, colleague)
    _log(other, officer)
    return child, other, officer, colleague


def test_the_ppu_lead_sees_who_looked_at_a_child_and_why(client, area, logged, settings):
    enforce_two_factor(settings)
    child, _, officer, colleague = logged
    sign_in(client, user_in(area, Role.PPU_LEAD))
    response = client.get(
        reverse("access:processing_log"), {"subject_type": "person", "subject_id": child.id}
    )
    assert response.status_code == 200
    assert "Who opened or changed Maisie Brown, and why" in response.text
    assert officer.display_name in response.text and colleague.display_name in response.text
    assert REASON in response.text
    assert "Outside scope" in response.text
    assert "Tom Green" not in response.text
    assert response.context["page"].paginator.count == 2


def test_the_log_filters_by_user_and_operation(client, area, logged, settings):
    enforce_two_factor(settings)
    _, _, officer, _ = logged
    sign_in(client, user_in(area, Role.PPU_LEAD))
    by_user = client.get(reverse("access:processing_log"), {"actor": officer.username})
    assert by_user.context["page"].paginator.count == 2
    erasures = client.get(reverse("access:processing_log"), {"operation": "erasure"})
    assert erasures.context["page"].paginator.count == 0
    assert "No entries match these filters" in erasures.text


def test_a_wrong_date_range_is_an_error_not_a_silent_empty_list(client, area, settings):
    enforce_two_factor(settings)
    sign_in(client, user_in(area, Role.PPU_LEAD))
    response = client.get(
        reverse("access:processing_log"),
        {
            "date_from_day": "10",
            "date_from_month": "3",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "3",
            "date_to_year": "2026",
        },
    )
    assert "There is a problem" in response.text
    assert "must be the same as or after" in response.text


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.CONTROL_ROOM, Role.SUPERVISOR, Role.ANALYST, Role.SYSTEM_ADMIN]
)
def test_only_roles_with_the_right_see_the_log(client, area, role, settings):
    enforce_two_factor(settings)
    user = user_in(area, role)
    sign_in(client, user)
    assert client.get(reverse("access:processing_log")).status_code == 403
    assert client.get(reverse("access:processing_log_csv")).status_code == 403
    assert "processing_log" not in [item.key for item in nav_items_for(user)]


def test_the_ppu_lead_has_the_processing_log_in_the_navigation(area):
    assert "processing_log" in [item.key for item in nav_items_for(user_in(area, Role.PPU_LEAD))]


def test_exporting_a_childs_log_is_itself_logged_as_a_disclosure_to_the_lead(
    client, area, logged, settings
):
    enforce_two_factor(settings)
    child, *_ = logged
    lead = user_in(area, Role.PPU_LEAD)
    sign_in(client, lead)
    response = client.get(
        reverse("access:processing_log_csv"), {"subject_type": "person", "subject_id": child.id}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert {row["subject_label"] for row in rows} == {"Maisie Brown"}
    assert REASON in {row["justification"] for row in rows}

    disclosure = ProcessingLogEntry.objects.get(operation=Operation.DISCLOSURE)
    assert disclosure.subject_id == child.id
    assert disclosure.actor == lead
    assert disclosure.recipient == lead.display_name
    assert disclosure.justification


def test_the_export_cannot_smuggle_a_spreadsheet_formula(client, area, settings):
    enforce_two_factor(settings)
    subject = Subject(type="person", id=person_in(area).pk, label='=HYPERLINK("x")')
    _log(subject, user_in(area, Role.OFFICER), justification="=1+1 looks like a formula")
    sign_in(client, user_in(area, Role.PPU_LEAD))
    response = client.get(reverse("access:processing_log_csv"))
    text = b"".join(response.streaming_content).decode()
    assert "'=1+1 looks like a formula" in text
    assert "'=HYPERLINK" in text


@pytest.mark.urls("tests.access.urls")
def test_a_fragment_request_sends_the_whole_page_to_the_question(client, areas):
    own, other = areas
    child = person_in(other)
    sign_in(client, user_in(own, Role.OFFICER))
    response = client.get(
        reverse("test_person", args=[child.pk]),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/?q=Brown"},
    )
    assert response.status_code == 200
    location = urlsplit(response["HX-Redirect"])
    assert location.path == reverse("access:reason")
    assert parse_qs(location.query)["next"] == ["/people/?q=Brown"]


def test_a_refused_page_that_is_not_a_record_says_so(client, area):
    sign_in(client, user_in(area, Role.OFFICER))
    response = client.get(reverse("access:processing_log"))
    assert response.status_code == 403
    assert "You cannot open this page" in response.text
    assert "Only the roles that oversee lawful processing" in response.text


def test_an_export_too_large_to_be_sensible_is_refused_with_a_way_forward(
    client, area, logged, settings, monkeypatch
):
    enforce_two_factor(settings)
    monkeypatch.setattr("thinkchild.access.services.EXPORT_MAX_ROWS", 2)
    sign_in(client, user_in(area, Role.PPU_LEAD))
    response = client.get(reverse("access:processing_log_csv"), follow=True)
    assert "These filters match 3 entries; an export can hold 2" in response.text
    assert not ProcessingLogEntry.objects.filter(operation=Operation.DISCLOSURE).exists()
