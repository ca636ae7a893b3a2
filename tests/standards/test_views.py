"""The standards catalogue and the PPU lead's policy page."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.access.factories import user_in
from tests.org.sessions import sign_in
from thinkchild.org.models import PolicySetting, Role
from thinkchild.standards.services import ESCALATE_TO_INSPECTOR

pytestmark = pytest.mark.django_db
KEY = ESCALATE_TO_INSPECTOR.key
TODAY = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)


def test_every_user_reads_the_catalogue_with_the_policy_in_force(client, area):
    sign_in(client, user_in(area, Role.OFFICER))
    page = client.get(reverse("standards:catalogue")).content.decode()
    assert ESCALATE_TO_INSPECTOR.title in page
    assert "24 hours" in page
    assert reverse("standards:policy_change", args=[KEY]) not in page


def test_only_the_ppu_lead_may_change_policy(client, area):
    sign_in(client, user_in(area, Role.SUPERVISOR))
    assert client.get(reverse("standards:policy_change", args=[KEY])).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_the_ppu_lead_changes_a_parameter_from_a_date_with_a_reason(client, area):
    lead = user_in(area, Role.PPU_LEAD)
    sign_in(client, lead)
    response = client.post(
        reverse("standards:policy_change", args=[KEY]),
        {
            "value_value": "48",
            "effective_from_day": "15",
            "effective_from_month": "6",
            "effective_from_year": "2026",
            "reason": "Inspectors are told after two days from the new structure",
        },
    )
    assert response.status_code == 302
    setting = PolicySetting.objects.get()
    assert (setting.key, setting.value, setting.effective_from, setting.set_by) == (
        KEY,
        48,
        dt.date(2026, 6, 15),
        lead,
    )


@time_machine.travel(TODAY, tick=False)
def test_an_out_of_range_value_is_refused_on_the_page_and_nothing_is_saved(client, area):
    sign_in(client, user_in(area, Role.PPU_LEAD))
    response = client.post(
        reverse("standards:policy_change", args=[KEY]),
        {
            "value_value": "0",
            "effective_from_day": "15",
            "effective_from_month": "6",
            "effective_from_year": "2026",
            "reason": "Escalate straight away please",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "must be at least 1 hours" in page
    assert not PolicySetting.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_ppu_lead_chooses_where_an_allocation_rule_sends_cases(client, area):
    sign_in(client, user_in(area, Role.PPU_LEAD))
    key = "investigations.allocation.cse_online"
    page = client.get(reverse("standards:policy_change", args=[key])).content.decode()
    assert "In force today: <strong>Online child abuse</strong>" in page
    response = client.post(
        reverse("standards:policy_change", args=[key]),
        {
            "value_value": "cse",
            "effective_from_day": "10",
            "effective_from_month": "6",
            "effective_from_year": "2026",
            "reason": "Online and in-person CSE handled by one team",
        },
    )
    assert response.status_code == 302
    assert PolicySetting.objects.get(key=key).value == "cse"
