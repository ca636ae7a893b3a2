"""Assembles the routers each app contributes under /api/v1/ (OpenAPI at /api/v1/openapi.json).

Every endpoint needs a system account's bearer token; the same selectors as the web apply the same
scope, and what they return to a system account is logged as a disclosure to it.
"""

from ninja import NinjaAPI

from thinkchild.access.scope import AccessDenied, ReasonRequired
from thinkchild.api.auth import ApiTokenAuth
from thinkchild.incidents.api import router as incidents_router
from thinkchild.interchange.api import router as interchange_router
from thinkchild.investigations.api import router as investigations_router
from thinkchild.people.api import router as people_router
from thinkchild.standards.api import router as standards_router

api = NinjaAPI(
    title="Think Child API",
    version="1",
    description="Records about children, for system accounts with a bearer token.",
    urls_namespace="api",
    auth=ApiTokenAuth(),
)


@api.exception_handler(AccessDenied)
@api.exception_handler(ReasonRequired)
def access_refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


api.add_router("/", people_router)
api.add_router("/", incidents_router)
api.add_router("/", interchange_router)
api.add_router("/", standards_router)
api.add_router("/", investigations_router)
