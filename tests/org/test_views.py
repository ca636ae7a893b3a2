"""Signing in: password, lockout, the second factor for the roles that need it, idle expiry."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.org.sessions import enforce_two_factor
from thinkchild.org.models import Role

PASSWORD = factories.PASSWORD


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("org:sign_in"), {"username": username, "password": password, **extra}
    )


@pytest.fixture
def officer(db):
    return factories.UserFactory(role=Role.OFFICER)


@pytest.fixture
def ppu_lead(db):
    return factories.UserFactory(role=Role.PPU_LEAD)


def test_the_sign_in_page_is_a_gov_uk_form(client):
    response = client.get(reverse("org:sign_in"))
    assert response.status_code == 200
    assert 'name="username"' in response.text and 'name="password"' in response.text
    assert 'autocomplete="current-password"' in response.text


def test_pages_need_signing_in(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:sign_in"))


def test_an_officer_signs_in_with_a_password_and_lands_where_they_were_going(client, officer):
    response = _sign_in(client, officer.username, next="/access/reason/?kind=person")
    assert response.status_code == 302
    assert response["Location"] == "/access/reason/?kind=person"
    assert client.get(reverse("web:home")).status_code == 200


def test_a_wrong_password_shows_an_error_summary_without_saying_which_was_wrong(client, officer):
    response = _sign_in(client, officer.username, password="not-the-password")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct username and password" in response.text
    empty = client.post(reverse("org:sign_in"), {"username": "", "password": ""})
    assert "Enter your username" in empty.text and "Enter your password" in empty.text


def test_sign_in_never_redirects_off_site(client, officer):
    response = _sign_in(client, officer.username, next="https://evil.example/")
    assert response["Location"] == reverse("web:home")


def test_a_deactivated_user_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert "Enter a correct username and password" in _sign_in(client, officer.username).text


def test_the_account_locks_after_the_configured_number_of_failures(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, officer.username, password="wrong-guess").status_code == 200
    locked = _sign_in(client, officer.username, password="wrong-guess")
    assert locked.status_code == 429
    assert "locked" in locked.text.lower()
    # Now even the right password is refused, until the lock lifts or is cleared.
    again = _sign_in(client, officer.username)
    assert again.status_code == 429
    assert client.get(reverse("web:home")).status_code == 302


def test_the_lockout_page_says_what_happened_and_what_to_do(client, officer, settings):
    settings.AXES_LOCKOUT_TEMPLATE = "org/locked_out.html"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, officer.username, password="wrong-guess")
    assert response.status_code == 429
    assert "Your account is locked" in response.text
    assert f"There were {settings.AXES_FAILURE_LIMIT} wrong attempts" in response.text


def test_sign_out_is_a_post(client, officer):
    client.force_login(officer)
    assert client.get(reverse("org:sign_out")).status_code == 405
    response = client.post(reverse("org:sign_out"))
    assert response["Location"] == reverse("org:sign_in")
    assert client.get(reverse("web:home")).status_code == 302


class TestTwoFactor:
    @pytest.fixture(autouse=True)
    def _enforced(self, settings):
        enforce_two_factor(settings)

    def test_an_officer_needs_no_second_factor(self, client, officer):
        _sign_in(client, officer.username)
        assert client.get(reverse("web:home")).status_code == 200

    def test_a_ppu_lead_enrols_an_authenticator_before_reaching_any_page(self, client, ppu_lead):
        response = _sign_in(client, ppu_lead.username)
        assert response["Location"] == reverse("org:two_factor")
        # Every other page sends them back to the second step.
        for url in (reverse("web:home"), reverse("access:processing_log")):
            blocked = client.get(url)
            assert blocked.status_code == 302
            assert blocked["Location"] == reverse("org:two_factor")

        enrol = client.get(reverse("org:two_factor"))
        assert enrol.status_code == 200
        assert "Set up your authenticator app" in enrol.text
        assert "<svg" in enrol.text  # the QR code, drawn on the server
        device = TOTPDevice.objects.get(user=ppu_lead)
        assert not device.confirmed
        assert enrol.context["secret"].replace(" ", "") in _b32(device)

        wrong = client.post(reverse("org:two_factor"), {"code": _wrong(device)})
        assert "The code is not right" in wrong.text
        assert client.get(reverse("web:home")).status_code == 302

        device.refresh_from_db()
        device.throttling_failure_count = 0  # skip django-otp's back-off wait in the test
        device.throttling_failure_timestamp = None
        device.save()
        done = client.post(reverse("org:two_factor"), {"code": _current(device)})
        assert done.status_code == 302
        assert done["Location"] == reverse("web:home")
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(reverse("web:home")).status_code == 200

    def test_a_ppu_lead_with_an_authenticator_enters_the_6_digit_code(self, client, ppu_lead):
        device = TOTPDevice.objects.create(user=ppu_lead, name="Phone", confirmed=True)
        _sign_in(client, ppu_lead.username, next=reverse("access:processing_log"))
        page = client.get(reverse("org:two_factor"))
        assert "Enter the 6-digit code" in page.text
        assert "<svg" not in page.text  # the secret is never shown again
        assert client.get(reverse("access:processing_log")).status_code == 302
        done = client.post(reverse("org:two_factor"), {"code": _current(device)})
        assert done["Location"] == reverse("access:processing_log")
        assert client.get(reverse("access:processing_log")).status_code == 200

    def test_a_code_cannot_be_used_twice(self, client, ppu_lead):
        device = TOTPDevice.objects.create(user=ppu_lead, name="Phone", confirmed=True)
        code = _current(device)
        _sign_in(client, ppu_lead.username)
        client.post(reverse("org:two_factor"), {"code": code})
        client.post(reverse("org:sign_out"))
        _sign_in(client, ppu_lead.username)
        replay = client.post(reverse("org:two_factor"), {"code": code})
        assert replay.status_code == 200
        assert client.get(reverse("web:home")).status_code == 302

    def test_other_roles_can_be_made_to_use_a_second_factor(self, client, officer, settings):
        settings.TWO_FACTOR_ROLES = [Role.PPU_LEAD, Role.SYSTEM_ADMIN, Role.OFFICER]
        assert _sign_in(client, officer.username)["Location"] == reverse("org:two_factor")
        assert client.get(reverse("web:home"))["Location"] == reverse("org:two_factor")

    def test_sign_out_stays_reachable_before_the_second_step(self, client, ppu_lead):
        _sign_in(client, ppu_lead.username)
        assert client.post(reverse("org:sign_out")).status_code == 302
        assert client.get(reverse("org:two_factor")).status_code == 302  # to sign in


def _b32(device) -> str:
    return base64.b32encode(device.bin_key).decode()


def _current(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong(device) -> str:
    return f"{(int(_current(device)) + 1) % 1_000_000:06d}"


def test_a_system_account_cannot_sign_in_to_the_web_even_with_a_password(client, db):
    account = factories.UserFactory(role=Role.SYSTEM_ACCOUNT)  # the factory sets a password
    response = _sign_in(client, account.username)
    assert "Enter a correct username and password" in response.text
    assert client.get(reverse("web:home")).status_code == 302
