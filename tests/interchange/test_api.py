"""POST /api/v1/interchange: a system account sends records; same checks, quarantine, log."""

import orjson
import pytest
from ninja.errors import HttpError

from tests import factories
from tests.interchange.canonical import all_records, rec
from thinkchild.access.models import Channel, Operation, ProcessingLogEntry
from thinkchild.interchange.api import interchange_post
from thinkchild.interchange.models import ImportRun, QuarantinedRecord
from thinkchild.org.models import Role
from thinkchild.org.services import api_token_issue
from thinkchild.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.interchange.api_urls")]
URL = "/api/v1/interchange"


@pytest.fixture
def system_account():
    return factories.UserFactory(role=Role.SYSTEM_ACCOUNT, username="niche-feed", team=None)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_issue(user=user, name='test')}"}


def ndjson(records) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def test_a_system_account_imports_json_lines(client, system_account):
    body = ndjson(all_records()) + b'{"type": "person", "version": 1}\n'
    response = client.post(
        URL, body, content_type="application/x-ndjson", headers=bearer(system_account)
    )

    assert response.status_code == 200
    answer = response.json()
    assert (answer["accepted"], answer["rejected"], answer["held"]) == (len(all_records()), 1, 0)
    assert answer["rejections"] == [
        {
            "line": len(all_records()) + 1,
            "status": "rejected",
            "reasons": [
                {"field": "source_system", "message": "source_system is missing"},
                {"field": "source_id", "message": "source_id is missing"},
            ],
        }
    ]
    run = ImportRun.objects.get(pk=answer["run_id"])
    assert (run.channel, run.actor) == (Channel.API, system_account)
    assert QuarantinedRecord.objects.get().run == run
    amelia = Person.objects.get(given_name="Amelia")
    entries = ProcessingLogEntry.objects.filter(
        operation=Operation.COLLECTION, subject_id=amelia.pk
    )
    assert {(e.channel, e.actor) for e in entries} == {(Channel.API, system_account)}


def test_a_json_list_is_accepted_too_and_a_resend_changes_nothing(client, system_account):
    body = orjson.dumps(all_records())
    headers = bearer(system_account)
    client.post(URL, body, content_type="application/json", headers=headers)
    again = client.post(URL, body, content_type="application/json", headers=headers).json()
    assert (again["accepted"], again["unchanged"]) == (0, len(all_records()))


def test_held_records_are_reported(client, system_account):
    body = ndjson([rec("person_address", "PA1", person="P9", location="L9")])
    answer = client.post(
        URL, body, content_type="application/x-ndjson", headers=bearer(system_account)
    ).json()
    assert answer["held"] == 1
    assert answer["rejections"][0]["status"] == "held"


def test_a_bad_token_gets_401(client):
    response = client.post(
        URL,
        ndjson(all_records()),
        content_type="application/x-ndjson",
        headers={"Authorization": "Bearer tc_nope_nope"},
    )
    assert response.status_code == 401
    assert not Person.objects.exists()


def test_a_role_without_import_rights_gets_403(rf, system_account):
    request = rf.post(URL, ndjson(all_records()), content_type="application/x-ndjson")
    request.auth = factories.UserFactory(role=Role.ANALYST)
    with pytest.raises(HttpError) as refused:
        interchange_post(request)
    assert refused.value.status_code == 403
    assert not Person.objects.exists()


def test_another_content_type_is_refused(client, system_account):
    response = client.post(URL, "a,b", content_type="text/csv", headers=bearer(system_account))
    assert response.status_code == 415


def test_the_openapi_document_describes_the_body(client):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/interchange"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/x-ndjson", "application/json"}
