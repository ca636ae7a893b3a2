"""A URL configuration for the API tests: the interchange endpoint behind the real token auth.

The lead wires the router into thinkchild.api.urls; a router attaches to one API only, so the
tests mount the same view function on an API of their own.
"""

from django.urls import path
from ninja import NinjaAPI, Router

from thinkchild.api.auth import ApiTokenAuth
from thinkchild.interchange.api import OPENAPI_BODY, RESPONSES, interchange_post

api = NinjaAPI(auth=ApiTokenAuth(), urls_namespace="interchange-test")
router = Router()
router.post("/interchange", response=RESPONSES, openapi_extra=OPENAPI_BODY)(interchange_post)
api.add_router("/", router)

urlpatterns = [path("api/v1/", api.urls)]
