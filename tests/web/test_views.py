"""The page shell: header, navigation by role, footer, home page, static and error pages."""

import re

import pytest
from django.template.loader import get_template
from django.urls import reverse

from tests.factories import UserFactory
from thinkchild.org.models import Role
from thinkchild.web.navigation import register_nav_item, unregister_nav_item

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def audits_item():
    register_nav_item("test-audits", "Audits", "web:privacy", roles={Role.AUDITOR}, order=50)
    yield
    unregister_nav_item("test-audits")


def signed_in(client, **kwargs):
    user = UserFactory(**kwargs)
    client.force_login(user)
    return user


def assert_no_inline_script_or_style(html: str) -> None:
    scripts = SCRIPT_TAG.findall(html)
    assert scripts, "the page loads its scripts"
    assert all("src=" in attrs for attrs in scripts), scripts
    assert " style=" not in html


@pytest.mark.django_db
def test_signed_in_page_has_the_generic_header_and_the_users_menu(client, audits_item):
    user = signed_in(client, role=Role.OFFICER, first_name="Asha", last_name="Patel")

    html = client.get(reverse("web:home")).content.decode()

    assert "govuk-generic-header" in html
    assert "govuk-header__crown" not in html and "govuk-footer__crown" not in html
    assert 'class="govuk-service-navigation"' in html
    assert ">Home</strong>" in html  # the current page, marked for those who cannot see colour
    assert "Audits" not in html  # the auditor's entry is not the officer's
    assert user.display_name in html
    assert "Officer" in html
    assert f'action="{reverse("org:sign_out")}"' in html and 'method="post"' in html


@pytest.mark.django_db
def test_an_auditor_sees_the_auditors_entry(client, audits_item):
    signed_in(client, role=Role.AUDITOR)

    html = client.get(reverse("web:home")).content.decode()

    assert f'href="{reverse("web:privacy")}">Audits</a>' in html


@pytest.mark.django_db
def test_home_asks_for_sign_in_first(client):
    response = client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("org:sign_in"))


@pytest.mark.django_db
def test_home_offers_a_person_search_to_roles_that_search(client):
    signed_in(client, role=Role.OFFICER)

    html = client.get(reverse("web:home")).content.decode()

    assert f'action="{reverse("people:search")}"' in html
    assert 'name="name"' in html


@pytest.mark.django_db
def test_home_offers_no_person_search_to_an_analyst(client):
    signed_in(client, role=Role.ANALYST)

    html = client.get(reverse("web:home")).content.decode()

    assert 'role="search"' not in html
    assert "Your role does not open records about people" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.web.urls_without_people")
def test_home_still_renders_before_people_search_is_wired(client):
    signed_in(client, role=Role.OFFICER)

    response = client.get("/")

    assert response.status_code == 200
    assert "Searching for people is not available yet" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["web:home", "web:accessibility", "web:privacy"])
def test_pages_have_no_inline_script_or_style(client, url_name):
    signed_in(client, role=Role.SUPERVISOR)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert_no_inline_script_or_style(response.content.decode())


@pytest.mark.django_db
def test_scripts_are_modules_from_our_own_static_files(client):
    signed_in(client)

    html = client.get(reverse("web:home")).content.decode()

    for name in ("govuk-frontend.min.js", "moj-frontend.min.js", "web/init.js"):
        assert re.search(rf'<script type="module" src="[^"]*{re.escape(name)}"', html), name
    assert "htmx-2.min.js" in html


@pytest.mark.django_db
def test_sign_in_page_is_a_govuk_page_without_a_menu(client):
    html = client.get(reverse("org:sign_in")).content.decode()

    assert "govuk-generic-header" in html
    assert "govuk-service-navigation__list" not in html
    assert_no_inline_script_or_style(html)


@pytest.mark.django_db
def test_demo_mode_says_the_people_are_synthetic(client, settings):
    signed_in(client)
    settings.DEMO_MODE = True

    html = client.get(reverse("web:home")).content.decode()

    assert "Demo force: synthetic people only" in html


@pytest.mark.django_db
def test_outside_demo_mode_there_is_no_demo_banner(client, settings):
    signed_in(client)
    settings.DEMO_MODE = False

    assert "Demo force" not in client.get(reverse("web:home")).content.decode()


@pytest.mark.django_db
def test_static_pages_are_open_without_signing_in(client):
    accessibility = client.get(reverse("web:accessibility"))
    privacy = client.get(reverse("web:privacy"))

    assert "Accessibility statement" in accessibility.content.decode()
    assert "section 62" in privacy.content.decode()


@pytest.mark.django_db
def test_unknown_page_gets_the_govuk_not_found_page(client):
    signed_in(client)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-service-navigation" in html  # still signed in, still has the menu


def test_server_error_page_renders_with_no_context_at_all():
    html = get_template("500.html").render()

    assert "Sorry, there is a problem with the service" in html
    assert "<script" not in html


@pytest.mark.django_db
def test_forbidden_page_says_why(rf):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = get_template("403.html").render({"exception": "This record is restricted."}, request)

    assert "You cannot open this page" in html
    assert "This record is restricted." in html
