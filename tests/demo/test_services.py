"""Loading the demo force through the importer, as any source system's files would be."""

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.demo.conftest import AS_OF
from thinkchild.demo.org import DEMO_LOGINS, FORCE_NAME
from thinkchild.demo.services import DemoRefused, demo_load
from thinkchild.incidents.models import ChildMarkerReason, Incident
from thinkchild.org.demo import DEMO_PASSWORD
from thinkchild.org.models import Force, User
from thinkchild.people.models import Person


def test_loading_the_tiny_force_accepts_every_record_and_reloading_changes_nothing(db, tiny_force):
    total = sum(tiny_force.counts.values())
    first = demo_load(paths=tiny_force.paths, progress=False)
    assert (first.accepted, first.rejected, first.held) == (total, 0, 0)
    assert Force.objects.get().name == FORCE_NAME
    assert Person.objects.count() == tiny_force.counts["persons"]
    assert Incident.objects.count() == tiny_force.counts["incidents"]

    # The child marker, derived by the importer, shows each of its three reasons.
    reasons = {r for i in Incident.objects.filter(has_child=True) for r in i.child_marker_reasons}
    assert reasons == {reason.value for reason in ChildMarkerReason}

    again = demo_load(paths=tiny_force.paths, progress=False)
    assert (again.accepted, again.unchanged, again.rejected) == (0, total, 0)
    assert Incident.objects.count() == tiny_force.counts["incidents"]


def test_demo_logins_are_marked_as_demo_users_and_no_one_else(db, tiny_force, settings):
    settings.DEMO_MODE = True
    demo_load(paths=tiny_force.paths, progress=False)
    demo_users = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    assert demo_users == {login[0] for login in DEMO_LOGINS}
    officer = User.objects.get(username="officer")
    assert officer.check_password(DEMO_PASSWORD)
    assert officer.team.area.name == "Northern"
    assert not User.objects.exclude(is_demo=True).first().has_usable_password()


def test_the_demo_refuses_a_database_that_holds_another_force(db, tiny_force):
    factories.ForceFactory(code="testshire", name="Testshire Constabulary")
    with pytest.raises(DemoRefused, match="Testshire Constabulary"):
        demo_load(paths=tiny_force.paths, progress=False)
    assert not Person.objects.exists()


def test_demo_command_generates_loads_and_prints_the_logins(db, tmp_path, capsys, settings):
    settings.DEMO_MODE = True
    call_command("demo", scale="tiny", seed=3, out=tmp_path, as_of=AS_OF, verbosity=0)
    out = capsys.readouterr().out
    assert (tmp_path / "incidents.jsonl").exists()
    assert "0 rejected" in out
    assert DEMO_PASSWORD in out
    for username, role, *_ in DEMO_LOGINS:
        assert f"  {username:<16} {role:<22}" in out


def test_demo_command_without_load_writes_files_only(db, tmp_path, capsys):
    call_command("demo", scale="tiny", out=tmp_path, as_of=AS_OF, no_load=True)
    assert len(list(tmp_path.glob("*.jsonl"))) == 10
    assert not Force.objects.exists()


def test_demo_command_refuses_another_force_before_writing(db, tmp_path):
    factories.ForceFactory()
    with pytest.raises(CommandError, match="another force"):
        call_command("demo", scale="tiny", out=tmp_path, as_of=AS_OF)
    assert not list(tmp_path.glob("*.jsonl"))
