"""`thinkchild export` writes the canonical format; importing it into an empty DB round-trips."""

import io

import orjson
import pytest

from tests import factories
from tests.interchange.canonical import all_records, jsonl_write
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.models import Incident, Participant
from thinkchild.interchange.models import ImportRun, QuarantinedRecord, SourceRecord
from thinkchild.interchange.services import export_records, import_files
from thinkchild.org.models import Area, Force, Team, User
from thinkchild.people.models import (
    Alias,
    Enrolment,
    Location,
    Organisation,
    Person,
    PersonAddress,
    Pregnancy,
    Relationship,
)

pytestmark = pytest.mark.django_db


def export(**kwargs) -> bytes:
    out = io.BytesIO()
    export_records(out=out, recipient="Testshire audit", **kwargs)
    return out.getvalue()


def empty_the_database() -> None:
    from thinkchild.missing.models import MissingEpisode, PhilomenaProfile
    from thinkchild.standards.models import Obligation

    for model in (MissingEpisode, PhilomenaProfile, Obligation):
        model.objects.all().delete()
    for model in (Participant, Incident, Enrolment, Relationship, PersonAddress, Alias, Pregnancy):
        model.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.filter(local_authority__isnull=False).delete()
    Organisation.objects.all().delete()
    Location.objects.all().delete()
    User.objects.all().delete()
    for model in (Team, Area, Force, SourceRecord, QuarantinedRecord, ImportRun):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_round_trips(tmp_path):
    import_files(paths=[jsonl_write(tmp_path / "in.jsonl", all_records())], progress=False)
    # A record made in Think Child itself has no source key: it exports under "thinkchild".
    made_here = factories.PersonFactory(force=Force.objects.get(), given_name="Local")
    first = export()
    empty_the_database()

    summary = import_files(
        paths=[jsonl_write(tmp_path / "out.jsonl", first.splitlines())], progress=False
    )

    assert (summary.rejected, summary.held) == (0, 0)
    assert summary.accepted == len(all_records()) + 1
    assert sorted(export().splitlines()) == sorted(first.splitlines())
    assert Person.objects.filter(given_name="Local").exists()
    assert Incident.objects.get().has_child
    records = [orjson.loads(line) for line in first.splitlines()]
    local = next(r for r in records if r.get("given_name") == "Local")
    assert (local["source_system"], local["source_id"]) == ("thinkchild", str(made_here.pk))


def test_the_export_is_in_the_import_order_and_omits_empty_fields(tmp_path):
    import_files(paths=[jsonl_write(tmp_path / "in.jsonl", all_records())], progress=False)
    records = [orjson.loads(line) for line in export().splitlines()]
    order = [r["type"] for r in records]
    assert (
        order.index("force") < order.index("area") < order.index("person") < order.index("incident")
    )
    assert all(v is not None for r in records for v in r.values())
    assert next(r for r in records if r["type"] == "user")["username"] == "pc.hughes"
    assert not any("password" in r for r in records)


def test_every_exported_person_and_incident_is_logged_as_a_disclosure(tmp_path):
    import_files(paths=[jsonl_write(tmp_path / "in.jsonl", all_records())], progress=False)
    export(types=["person", "incident"], justification="Serious case review")
    disclosed = ProcessingLogEntry.objects.filter(operation=Operation.DISCLOSURE)
    assert disclosed.count() == Person.objects.count() + Incident.objects.count()
    assert set(disclosed.values_list("recipient", "justification")) == {
        ("Testshire audit", "Serious case review")
    }


def test_an_export_must_name_its_recipient():
    with pytest.raises(ValueError, match="recipient"):
        export_records(out=io.BytesIO(), recipient=" ")
