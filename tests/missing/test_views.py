"""Missing children's pages: reporting, grading, the return and closure, all through the forms."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from tests import factories
from tests.missing.factories import (
    NDM,
    child_in,
    find,
    grade,
    local_authority,
    london,
    report,
    team_in,
    user,
)
from tests.org.sessions import sign_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.missing import services
from thinkchild.missing.models import (
    EnquiryKind,
    EpisodeStatus,
    MissingEpisode,
    PromptKind,
    RiskGrading,
)
from thinkchild.org.models import Role
from thinkchild.standards.rationale import NDM_STAGES

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 10, 12, 0)


def page_of(response) -> str:
    return response.content.decode()


def shows(page: str, text: str) -> bool:
    return escape(text) in page


def on(prefix: str, day: dt.date, time: str) -> dict:
    """A GOV.UK date input and its time field, as a browser posts them."""
    return {
        f"{prefix}_on_day": str(day.day),
        f"{prefix}_on_month": str(day.month),
        f"{prefix}_on_year": str(day.year),
        f"{prefix}_time": time,
    }


TODAY = NOW.date()


def report_form(team, authority, **changes):
    data = {
        "reported_by": "Sarah Walsh",
        "reporter_relationship": "Foster carer",
        "reporter_contact": "07700 900123",
        **on("reported", TODAY, "11:30"),
        "missing_from": "foster_care",
        "looked_after": "on",
        "responsible_authority": str(authority.pk),
        **on("last_seen", TODAY, "08:15"),
        "last_seen_where": "At the school gates",
        "circumstances": "Did not come home from school.",
        "known_risks": ["criminal_exploitation", "associates"],
        "adult_associates": "Dean Hart, 24",
        "team": str(team.pk),
    }
    return {**data, **changes}


def grade_form(level="medium", **changes):
    data = {
        "level": level,
        **{f"rationale_{stage}": f"{stage} for this child" for stage in NDM_STAGES},
        "source_1_information": "Has not answered her phone since 08:30",
        "source_1_source": "Foster carer",
        "source_1_contact": "07700 900123",
        **on("source_1_obtained", TODAY, "11:40"),
        **on("next_review", TODAY, "16:00"),
        **on("graded", TODAY, "12:00"),
    }
    return {**data, **changes}


@pytest.fixture
def child(area):
    return child_in(area, given_name="Amy", family_name="Walsh")


@pytest.fixture
def episode(child, team):
    return report(child, team, NOW - dt.timedelta(hours=1))


@time_machine.travel(NOW, tick=False)
def test_an_officer_reports_a_missing_child_through_the_form_and_lands_on_its_page(
    client, team, child
):
    authority = local_authority(team.force)
    officer = user(team)
    sign_in(client, officer)
    search = page_of(client.get(reverse("missing:report"), {"name": "walsh"}))
    url = f"{reverse('missing:report')}?person={child.pk}"
    assert "Report this child missing" in search
    assert escape(url) in search

    assert "Amy Walsh" in page_of(client.get(url))
    response = client.post(url, report_form(team, authority))

    episode = MissingEpisode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("missing:detail", args=[episode.pk])
    assert (episode.child, episode.team, episode.recorded_by) == (child, team, officer)
    assert (episode.reported_by, episode.reported_at) == (
        "Sarah Walsh",
        london(2026, 6, 10, 11, 30),
    )
    assert episode.last_seen_at == london(2026, 6, 10, 8, 15)
    assert (episode.responsible_authority, episode.looked_after) == (authority, True)
    assert episode.known_risks == ["associates", "criminal_exploitation"]
    page = page_of(client.get(response["Location"]))
    assert episode.reference in page
    assert "Amy Walsh reported missing" in page
    assert "Not yet graded" in page
    assert "Criminal exploitation" in page
    assert "Dean Hart, 24" in page

    listed = page_of(client.get(reverse("missing:list")))
    assert episode.reference in listed
    assert "Amy Walsh" in listed
    assert "Report a missing child" in listed


@time_machine.travel(NOW, tick=False)
def test_a_report_the_service_refuses_shows_why_and_records_nothing(client, team, child):
    sign_in(client, user(team))
    url = f"{reverse('missing:report')}?person={child.pk}"
    response = client.post(
        url, report_form(team, local_authority(team.force), responsible_authority="")
    )
    page = page_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert shows(page, "A looked-after child's responsible local authority is needed.")
    assert not MissingEpisode.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_missing_episode_from_another_force_keeps_the_home_force_reference(client, team, child):
    sign_in(client, user(team))
    url = f"{reverse('missing:report')}?person={child.pk}"
    data = report_form(
        team,
        local_authority(team.force),
        missing_from="home",
        looked_after="",
        responsible_authority="",
        home_force="Westshire Police",
        home_force_reference="WP-123",
    )
    client.post(url, data)
    episode = MissingEpisode.objects.get()
    assert (episode.home_force, episode.home_force_reference) == ("Westshire Police", "WP-123")
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Westshire Police, reference WP-123" in page


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_grades_the_risk_and_the_page_shows_the_grading_with_its_source(
    client, team, episode
):
    sergeant = user(team, Role.SUPERVISOR)
    sign_in(client, sergeant)
    form_page = page_of(client.get(reverse("missing:grade", args=[episode.pk])))
    assert "likely but not serious" in form_page  # the APP wording of medium
    assert "Threat and risk assessed, and the working strategy" in form_page
    assert 'value="absent"' not in form_page

    response = client.post(reverse("missing:grade", args=[episode.pk]), grade_form())

    assert response.status_code == 302
    grading = RiskGrading.objects.get(episode=episode)
    assert (grading.level, grading.graded_by, grading.supervisory) == ("medium", sergeant, True)
    assert grading.rationale["powers"] == "powers for this child"
    source = grading.sources.get()
    assert (source.source, source.contact) == ("Foster carer", "07700 900123")
    assert source.obtained_at == london(2026, 6, 10, 11, 40)
    episode.refresh_from_db()
    assert (episode.risk_level, episode.next_review_at) == ("medium", london(2026, 6, 10, 16, 0))
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Has not answered her phone since 08:30" in page
    assert "From Foster carer (07700 900123), obtained 10 June 2026 11:40" in page
    assert "Powers and policy considered" in page
    assert "Not yet graded" not in page


@time_machine.travel(NOW, tick=False)
def test_absent_is_refused_with_the_services_reason(client, team, episode):
    sign_in(client, user(team, Role.SUPERVISOR))
    response = client.post(reverse("missing:grade", args=[episode.pk]), grade_form("absent"))
    page = page_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert shows(page, services.ABSENT_REFUSAL)
    assert not RiskGrading.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_low_risk_for_a_child_needs_a_supervisors_override(client, team, episode):
    sergeant = user(team, Role.SUPERVISOR)
    sign_in(client, user(team))
    response = client.post(reverse("missing:grade", args=[episode.pk]), grade_form("low"))
    assert shows(
        page_of(response),
        "The force's minimum for a missing child is medium risk: grading lower needs a "
        "supervisor's override with its own rationale.",
    )
    assert not RiskGrading.objects.exists()

    # The officer has no override to give; the sergeant overrides it themselves.
    page = page_of(client.get(reverse("missing:grade", args=[episode.pk])))
    assert "ask your supervisor to grade the risk" in page and 'name="override"' not in page
    sign_in(client, sergeant)
    override = {"override": "on", "override_rationale": "Known to stay at her aunt's"}
    response = client.post(
        reverse("missing:grade", args=[episode.pk]), grade_form("low", **override)
    )
    assert response.status_code == 302
    grading = RiskGrading.objects.get()
    assert (grading.level, grading.override_by) == ("low", sergeant)
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert shows(page, f"Override by {sergeant.display_name}: Known to stay at her aunt's")


@time_machine.travel(NOW, tick=False)
def test_a_half_filled_source_row_is_an_error_and_blank_rows_are_ignored(client, team, episode):
    sign_in(client, user(team, Role.SUPERVISOR))
    half = grade_form(source_2_information="Seen on a bus by a neighbour")
    response = client.post(reverse("missing:grade", args=[episode.pk]), half)
    page = page_of(response)
    assert "Source 2: say who gave the information" in page
    assert "Enter the time source 2 was obtained" in page
    assert not RiskGrading.objects.exists()
    client.post(reverse("missing:grade", args=[episode.pk]), grade_form())
    assert RiskGrading.objects.get().sources.count() == 1


@time_machine.travel(NOW, tick=False)
def test_found_prevention_interview_notification_and_closure_through_the_pages(
    client, team, episode
):
    officer = user(team)
    sign_in(client, officer)
    close = reverse("missing:close", args=[episode.pk])
    page = page_of(client.post(close))
    assert shows(page, "the child has not been found")
    assert shows(page, "the local authority has not been notified of the return")

    found = {**on("found", TODAY, "11:45"), "found_where": "Bus station", "found_by": "PC Shah"}
    assert client.post(reverse("missing:found", args=[episode.pk]), found).status_code == 302
    episode.refresh_from_db()
    assert (episode.status, episode.found_at) == (EpisodeStatus.FOUND, london(2026, 6, 10, 11, 45))
    page = page_of(client.post(close))
    assert shows(page, "the prevention interview is neither recorded nor explained")
    assert not shows(page, "the child has not been found")

    interview = {
        "done": "yes",
        **on("held", TODAY, "11:55"),
        "method": "face_to_face",
        "child_account": "Went to see a friend in town.",
    }
    response = client.post(reverse("missing:prevention", args=[episode.pk]), interview)
    assert response.status_code == 302
    assert episode.prevention_interview.child_account == "Went to see a friend in town."
    response = client.post(reverse("missing:authority_notify", args=[episode.pk]))
    assert response.status_code == 302
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Close the episode" in page
    assert "Before" not in page

    assert client.post(close).status_code == 302
    episode.refresh_from_db()
    assert (episode.status, episode.closed_by) == (EpisodeStatus.CLOSED, officer)
    assert episode.return_home_interview.authority_notified_at == NOW
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Closed on 10 June 2026 12:00" in page
    assert "Went to see a friend in town." in page
    assert episode.reference not in page_of(client.get(reverse("missing:list")))


@time_machine.travel(NOW, tick=False)
def test_a_prevention_interview_by_telephone_needs_a_reason(client, team, episode):
    find(episode, user(team), NOW - dt.timedelta(minutes=30))
    sign_in(client, user(team))
    interview = {
        "done": "yes",
        **on("held", TODAY, "11:55"),
        "method": "telephone",
        "child_account": "Went to see a friend.",
    }
    page = page_of(client.post(reverse("missing:prevention", args=[episode.pk]), interview))
    assert "say why it was by telephone" in page


@time_machine.travel(NOW, tick=False)
def test_the_return_home_interview_is_recorded_as_it_becomes_known(client, team, episode):
    find(episode, user(team), NOW - dt.timedelta(hours=1))
    sign_in(client, user(team))
    data = {
        **on("offered", TODAY, "11:30"),
        **on("findings_received", TODAY, "11:50"),
        "findings": "Spending time with older boys at the park.",
        "police_actions": "Referred to the exploitation team.",
        "protective_plan_updated": "on",
    }
    response = client.post(reverse("missing:return_home", args=[episode.pk]), data)
    assert response.status_code == 302
    rhi = MissingEpisode.objects.get().return_home_interview
    assert rhi.offered_at == london(2026, 6, 10, 11, 30)
    assert rhi.protective_plan_updated_at == NOW
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Spending time with older boys at the park." in page


@time_machine.travel(NOW, tick=False)
def test_an_officer_logs_an_enquiry_but_only_a_supervisor_directs_the_search(client, team, episode):
    sign_in(client, user(team))
    url = reverse("missing:enquiry", args=[episode.pk])
    form_page = page_of(client.get(url))
    assert 'value="direction"' not in form_page
    assert 'value="philomena"' not in form_page
    data = {"kind": "call", "details": "Rang her phone: no answer.", **on("done", TODAY, "11:50")}
    assert client.post(url, data).status_code == 302
    assert "Choose one of the kinds of enquiry listed" in page_of(
        client.post(url, {**data, "kind": "direction"})
    )
    assert list(episode.enquiries.values_list("kind", flat=True)) == [EnquiryKind.CALL]
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Rang her phone: no answer." in page

    sign_in(client, user(team, Role.SUPERVISOR))
    assert 'value="direction"' in page_of(client.get(url))


@time_machine.travel(NOW, tick=False)
def test_the_philomena_profile_is_shown_at_once_and_sent_to_the_enquiry_team(client, team, child):
    officer = user(team)
    services.philomena_profile_save(
        actor=officer, child=child, held_by="Oak House", description="Slim, dark curly hair"
    )
    episode = report(child, team, NOW - dt.timedelta(hours=1))
    sign_in(client, officer)
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Slim, dark curly hair" in page
    assert "Send to the enquiry team" in page

    response = client.post(reverse("missing:philomena_send", args=[episode.pk]))
    assert response.status_code == 302
    sent = episode.enquiries.get()
    assert (sent.kind, sent.done_by) == (EnquiryKind.PHILOMENA, officer)
    assert ProcessingLogEntry.objects.filter(
        subject_id=child.pk, operation=Operation.DISCLOSURE, actor=officer
    ).exists()


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_records_what_was_done_about_a_repeat_missing_prompt(client, team, child):
    for days in (40, 20):
        report(child, team, NOW - dt.timedelta(days=days))
    episode = report(child, team, NOW - dt.timedelta(hours=1))
    panel = episode.prompts.get(kind=PromptKind.PANEL)
    sign_in(client, user(team))
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Repeat missing" in page
    assert "Waiting for a supervisor" in page
    assert "Record what was done" not in page

    sergeant = user(team, Role.SUPERVISOR)
    sign_in(client, sergeant)
    url = reverse("missing:prompt_action", args=[episode.pk, panel.pk])
    page = page_of(client.post(url, {"outcome": "Done"}))
    assert "Say what was decided or done." in page
    response = client.post(url, {"outcome": "Strategy discussion booked for tomorrow."})
    assert response.status_code == 302
    panel.refresh_from_db()
    assert (panel.actioned_by, panel.outcome) == (
        sergeant,
        "Strategy discussion booked for tomorrow.",
    )
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Strategy discussion booked for tomorrow." in page


@time_machine.travel(NOW, tick=False)
def test_a_legacy_absent_grading_awaits_a_supervisors_review_until_one_grades_it(
    client, team, episode
):
    services.legacy_grading_keep(
        actor=user(team, Role.CONTROL_ROOM),
        episode=episode,
        as_recorded="Absent",
        graded_at=NOW - dt.timedelta(minutes=50),
        graded_by="PC 123 (old system)",
    )
    sergeant = user(team, Role.SUPERVISOR)
    sign_in(client, sergeant)
    detail = reverse("missing:detail", args=[episode.pk])
    awaiting = "Recorded as 'Absent' by the source system — awaiting a supervisor's review"
    assert shows(page_of(client.get(detail)), awaiting)

    client.post(reverse("missing:grade", args=[episode.pk]), grade_form())
    page = page_of(client.get(detail))
    assert not shows(page, awaiting)
    assert "Recorded as 'Absent' by the source system; since reviewed by a supervisor." in page


@time_machine.travel(NOW, tick=False)
def test_an_officer_from_another_area_is_asked_why_before_opening_an_episode(
    client, force, episode
):
    elsewhere = user(team_in(factories.AreaFactory(force=force)))
    sign_in(client, elsewhere)
    detail = reverse("missing:detail", args=[episode.pk])
    for url in (detail, reverse("missing:grade", args=[episode.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:reason"))
    assert episode.reference not in page_of(client.get(reverse("missing:list")))

    reason = "Child seen on my beat this morning"
    client.post(
        reverse("access:reason"),
        {"kind": "missing_episode", "id": str(episode.pk), "next": detail, "reason": reason},
    )
    assert client.get(detail).status_code == 200
    assert ProcessingLogEntry.objects.filter(
        subject_id=episode.pk, actor=elsewhere, out_of_scope=True, justification=reason
    ).exists()


@time_machine.travel(NOW, tick=False)
def test_a_system_administrator_cannot_see_missing_children(client, force):
    admin = factories.UserFactory(team=None, force=force, role=Role.SYSTEM_ADMIN)
    sign_in(client, admin)
    assert client.get(reverse("missing:list")).status_code == 403
    assert client.get(reverse("missing:report")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_an_auditor_reads_episodes_but_is_offered_nothing_to_record(client, team, episode):
    grade(episode, user(team, Role.SUPERVISOR), NOW - dt.timedelta(minutes=30), rationale=NDM)
    sign_in(client, user(team, Role.AUDITOR))
    listed = page_of(client.get(reverse("missing:list")))
    assert episode.reference in listed
    assert "Report a missing child" not in listed
    page = page_of(client.get(reverse("missing:detail", args=[episode.pk])))
    assert "Medium" in page
    assert "Grade the risk" not in page
    assert client.get(reverse("missing:grade", args=[episode.pk])).status_code == 403


def test_a_childs_episode_history_lists_their_episodes_newest_first(client, child, team):
    first = report(child, team, NOW - dt.timedelta(days=20))
    second = report(child, team, NOW - dt.timedelta(days=2))
    sign_in(client, user(team))
    with time_machine.travel(NOW, tick=False):
        page = page_of(client.get(reverse("missing:child", args=[child.pk])))
    assert page.index(second.reference) < page.index(first.reference)
    assert ProcessingLogEntry.objects.filter(
        subject_id=first.pk, operation=Operation.CONSULTATION
    ).exists()


def test_an_officer_records_and_then_updates_a_philomena_profile(client, child, team):
    from thinkchild.missing.models import PhilomenaProfile

    sign_in(client, user(team))
    url = reverse("missing:philomena", args=[child.pk])
    refused = client.post(url, {"held_by": "Oakfield House"})
    assert shows(page_of(refused), "Describe the child")
    client.post(url, {"held_by": "Oakfield House", "description": "Slim, red hair"})
    assert PhilomenaProfile.objects.get(child=child).description == "Slim, red hair"
    page = page_of(client.get(url))
    assert "Update the Philomena profile" in page and shows(page, "Slim, red hair")
    client.post(url, {"held_by": "Oakfield House", "description": "Slim, dyed black hair"})
    assert PhilomenaProfile.objects.get(child=child).description == "Slim, dyed black hair"
    sign_in(client, user(team, Role.AUDITOR))
    assert client.get(url).status_code == 403


def test_a_restricted_childs_episodes_show_only_to_the_childs_access_list(client, team, area):
    from thinkchild.access.models import AccessListEntry

    restricted = child_in(area, given_name="Rhiannon", family_name="Quayle", is_restricted=True)
    episode = report(restricted, team, NOW - dt.timedelta(hours=1))
    officer = user(team)
    sign_in(client, officer)
    assert not shows(page_of(client.get(reverse("missing:list"))), "Quayle")
    assert client.get(reverse("missing:detail", args=[episode.pk])).status_code == 403
    AccessListEntry.objects.create(subject_type="person", subject_id=restricted.pk, user=officer)
    assert shows(page_of(client.get(reverse("missing:list"))), "Quayle")
    assert client.get(reverse("missing:detail", args=[episode.pk])).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_an_officer_takes_the_enquiry_and_a_supervisor_reallocates_it(client, team, episode):
    officer, other, sergeant = user(team), user(team), user(team, Role.SUPERVISOR)
    url = reverse("missing:allocate", args=[episode.pk])
    sign_in(client, officer)
    assert shows(page_of(client.get(reverse("missing:detail", args=[episode.pk]))), "Take this")
    client.post(url)
    episode.refresh_from_db()
    assert episode.officer == officer
    sign_in(client, sergeant)
    client.post(url, {"officer": str(other.pk)})
    episode.refresh_from_db()
    assert episode.officer == other
    outsider = user(team_in(team.area))
    response = client.post(url, {"officer": str(outsider.pk)})
    assert shows(page_of(response), "Choose an officer of the team holding the enquiry.")
    episode.refresh_from_db()
    assert episode.officer == other
    # A child back after allocation is not "back before allocation".
    find(episode, other, NOW + dt.timedelta(minutes=5))
    episode.refresh_from_db()
    assert not episode.found.before_allocation
