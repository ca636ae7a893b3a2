"""A test URLconf: one API endpoint behind ApiTokenAuth that discloses a record."""

import uuid

from django.urls import path
from ninja import NinjaAPI

from thinkchild.access.context import access_context
from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.api.auth import ApiTokenAuth

api = NinjaAPI(auth=ApiTokenAuth(), urls_namespace="test_token_api")
DISCLOSED = uuid.UUID("00000000-0000-4000-8000-000000000001")


@api.get("/whoami")
def whoami(request):
    processing_log_record(
        operation=Operation.DISCLOSURE,
        actor=request.auth,
        subject=Subject(type="person", id=DISCLOSED),
        justification="API response to a system account",
    )
    context = access_context()
    return {"username": request.auth.username, "channel": context.channel}


urlpatterns = [path("api/test/", api.urls)]
