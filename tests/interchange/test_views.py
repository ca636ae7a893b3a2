"""The quarantine pages: a PPU lead or system administrator lists, opens, fixes and discards."""

import pytest
from django.urls import reverse

from tests import factories
from tests.interchange.canonical import jsonl_write, org_records, rec
from tests.org.sessions import sign_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.interchange.models import QuarantinedRecord, QuarantineStatus
from thinkchild.interchange.services import import_files
from thinkchild.org.models import Role
from thinkchild.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarantined(tmp_path):
    records = [
        *org_records(),
        rec("person", "P1", given_name="Amelia", family_name="Hughes", date_of_birth="2015-02-30"),
    ]
    import_files(paths=[jsonl_write(tmp_path / "feed.jsonl", records)], progress=False)
    return QuarantinedRecord.objects.get()


def test_the_list_shows_open_records_with_their_first_reason(client, quarantined):
    sign_in(client, factories.UserFactory(role=Role.PPU_LEAD))
    page = client.get(reverse("interchange:quarantine")).content.decode()
    assert "person test/P1" in page
    assert "&#x27;2015-02-30&#x27; is not a date (YYYY-MM-DD)" in page
    assert "Line 5 of" in page


def test_an_officer_cannot_open_the_quarantine(client, quarantined):
    sign_in(client, factories.UserFactory(role=Role.OFFICER))
    response = client.get(reverse("interchange:quarantine"))
    assert response.status_code == 403


def test_opening_a_record_shows_the_raw_line_and_is_logged(client, quarantined):
    lead = factories.UserFactory(role=Role.PPU_LEAD)
    sign_in(client, lead)
    page = client.get(
        reverse("interchange:quarantine_detail", args=[quarantined.pk])
    ).content.decode()
    assert "2015-02-30" in page
    assert "Import again" in page
    assert ProcessingLogEntry.objects.filter(
        operation=Operation.CONSULTATION, actor=lead, subject_id=quarantined.pk
    ).exists()


def test_a_corrected_record_is_imported_and_the_entry_resolved(client, quarantined):
    sign_in(client, factories.UserFactory(role=Role.PPU_LEAD))
    fixed = quarantined.raw.replace("2015-02-30", "2015-02-28")
    response = client.post(
        reverse("interchange:quarantine_detail", args=[quarantined.pk]), {"raw": fixed}
    )
    assert response.status_code == 302
    assert Person.objects.get(given_name="Amelia").date_of_birth.isoformat() == "2015-02-28"
    quarantined.refresh_from_db()
    assert quarantined.status == QuarantineStatus.RESOLVED


def test_a_correction_that_is_still_wrong_shows_why(client, quarantined):
    sign_in(client, factories.UserFactory(role=Role.PPU_LEAD))
    still_wrong = quarantined.raw.replace("2015-02-30", "2099-01-01")
    response = client.post(
        reverse("interchange:quarantine_detail", args=[quarantined.pk]), {"raw": still_wrong}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "date of birth 01/01/2099 is in the future" in page
    assert not Person.objects.exists()
    quarantined.refresh_from_db()
    assert quarantined.status == QuarantineStatus.REJECTED
    assert quarantined.raw == still_wrong


def test_discarding_keeps_the_record_marked_discarded(client, quarantined):
    lead = factories.UserFactory(role=Role.PPU_LEAD)
    sign_in(client, lead)
    client.post(reverse("interchange:quarantine_discard", args=[quarantined.pk]))
    quarantined.refresh_from_db()
    assert (quarantined.status, quarantined.resolved_by) == (QuarantineStatus.DISCARDED, lead)
    page = client.get(reverse("interchange:quarantine")).content.decode()
    assert "person test/P1" not in page  # the default list shows what still needs someone


def test_the_runs_page_lists_each_import(client, quarantined):
    sign_in(client, factories.UserFactory(role=Role.PPU_LEAD))
    page = client.get(reverse("interchange:runs")).content.decode()
    assert "feed.jsonl" in page
    assert f"run {quarantined.run.short_id}" in page


def test_the_quarantine_is_in_the_navigation_of_the_roles_that_may_see_it():
    from thinkchild.web.navigation import nav_items_for

    lead = factories.UserFactory(role=Role.PPU_LEAD)
    officer = factories.UserFactory(role=Role.OFFICER)
    assert "Quarantine" in [link.label for link in nav_items_for(lead)]
    assert "Quarantine" not in [link.label for link in nav_items_for(officer)]


def test_the_list_filters_by_status_and_record_type(client, tmp_path):
    records = [
        *org_records(),
        rec("person", "P1", given_name="Bad", family_name="Date", date_of_birth="2015-02-30"),
        rec("person_address", "PA1", person="P404", location="L404"),
    ]
    import_files(paths=[jsonl_write(tmp_path / "mixed.jsonl", records)], progress=False)
    sign_in(client, factories.UserFactory(role=Role.PPU_LEAD))
    url = reverse("interchange:quarantine")

    held = client.get(url, {"status": "held"}).content.decode()
    addresses = client.get(url, {"record_type": "person_address"}).content.decode()
    everything = client.get(url).content.decode()

    assert "person_address test/PA1" in held and "person test/P1" not in held
    assert "person_address test/PA1" in addresses and "person test/P1" not in addresses
    assert "person_address test/PA1" in everything and "person test/P1" in everything


def test_the_system_administrator_cannot_read_quarantined_children(client, quarantined):
    """Quarantined lines hold children's data as received; the system admin reads none."""
    sign_in(client, factories.UserFactory(role=Role.SYSTEM_ADMIN))
    response = client.get(reverse("interchange:quarantine_detail", args=[quarantined.pk]))
    assert response.status_code == 403
    assert "2015-02-30" not in response.content.decode()
