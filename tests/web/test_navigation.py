import pytest

from tests.factories import UserFactory
from thinkchild.org.models import Role
from thinkchild.web.navigation import (
    NavLink,
    current_key,
    nav_items_for,
    register_nav_item,
    unregister_nav_item,
)


@pytest.fixture
def extra_items():
    register_nav_item("test-auditing", "Audits", "web:privacy", roles={Role.AUDITOR}, order=50)
    register_nav_item("test-everyone", "Accessibility", "web:accessibility", order=60)
    register_nav_item("test-unwired", "Not built yet", "nowhere:index", order=70)
    yield
    for key in ("test-auditing", "test-everyone", "test-unwired"):
        unregister_nav_item(key)


def labels(links):
    return [link.label for link in links]


@pytest.mark.django_db
def test_each_role_sees_only_its_entries_in_order(extra_items):
    officer = UserFactory(role=Role.OFFICER)
    auditor = UserFactory(role=Role.AUDITOR)

    officer_labels = labels(nav_items_for(officer))
    auditor_labels = labels(nav_items_for(auditor))

    assert officer_labels[0] == "Home"
    assert "Audits" not in officer_labels
    assert auditor_labels.index("Audits") < auditor_labels.index("Accessibility")


@pytest.mark.django_db
def test_an_entry_whose_page_is_not_wired_yet_is_left_out(extra_items):
    assert "Not built yet" not in labels(nav_items_for(UserFactory()))


def test_nobody_signed_in_sees_no_entries(extra_items):
    from django.contrib.auth.models import AnonymousUser

    assert nav_items_for(AnonymousUser()) == []


def test_registering_a_key_again_replaces_the_entry():
    register_nav_item("test-replace", "First", "web:privacy")
    register_nav_item("test-replace", "Second", "web:privacy")
    try:
        from thinkchild.web.navigation import _registry

        assert _registry["test-replace"].label == "Second"
    finally:
        unregister_nav_item("test-replace")


def test_the_current_entry_is_the_longest_matching_path():
    links = [
        NavLink("home", "Home", "/"),
        NavLink("people", "People", "/people/"),
        NavLink("chronology", "Chronology", "/people/chronology/"),
    ]
    assert current_key(links, "/") == "home"
    assert current_key(links, "/people/123/") == "people"
    assert current_key(links, "/people/chronology/x/") == "chronology"
    assert current_key(links, "/incidents/") is None
