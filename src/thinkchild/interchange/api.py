"""POST /api/v1/interchange: a system account sends canonical records; same checks, same quarantine.

The body is JSON Lines (`application/x-ndjson`, read a line at a time) or a JSON list of records
(`application/json`). Authentication belongs to the API assembly: request.auth is the user.
Wire with `api.add_router("/", interchange.api.router)` in api/urls.py.
"""

from uuid import UUID

import orjson
from ninja import Router, Schema
from ninja.errors import HttpError

from thinkchild.access.models import Channel
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.interchange.services import import_lines

router = Router(tags=["interchange"])

JSON_LINES = {"application/x-ndjson", "application/jsonl", "application/x-jsonlines"}


class ReasonOut(Schema):
    field: str
    message: str


class RejectionOut(Schema):
    line: int
    status: str
    reasons: list[ReasonOut]


class ImportOut(Schema):
    accepted: int
    unchanged: int
    rejected: int
    held: int
    released: int
    run_id: UUID
    rejections: list[RejectionOut]


class ErrorOut(Schema):
    detail: str


RESPONSES = {200: ImportOut, 400: ErrorOut, 403: ErrorOut, 415: ErrorOut}


def _lines(request):
    content_type = request.content_type
    if content_type in JSON_LINES:
        return iter(request)  # line by line: the body is never held whole
    if content_type == "application/json":
        try:
            records = orjson.loads(request.body)
        except orjson.JSONDecodeError as error:
            raise HttpError(400, f"The body is not valid JSON: {error.msg}") from None
        if not isinstance(records, list):
            raise HttpError(
                400, "Send a JSON list of records, or JSON Lines (application/x-ndjson)."
            )
        return (orjson.dumps(record) for record in records)
    raise HttpError(415, "Send application/x-ndjson (JSON Lines) or application/json (a list).")


def interchange_post(request):
    """Import canonical records. Rejected and held records are quarantined, as for a file."""
    user = request.auth
    if not role_can(getattr(user, "role", ""), RecordKind.PERSON, Action.IMPORT):
        raise HttpError(403, "This account may not import records.")
    summary = import_lines(
        lines=_lines(request),
        source_name=f"API: {user.username}",
        actor=user,
        channel=Channel.API,
    )
    return {
        "accepted": summary.accepted,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "held": summary.held,
        "released": summary.released,
        "run_id": summary.run_id,
        "rejections": summary.rejections,
    }


# The body is read by the view (line by line), so OpenAPI is told its shape here.
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "description": "Records in the canonical format (docs/interchange.md)",
        "content": {
            "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
    }
}

router.post(
    "/interchange",
    response=RESPONSES,
    summary="Import canonical records",
    openapi_extra=OPENAPI_BODY,
)(interchange_post)
