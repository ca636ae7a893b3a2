"""Assembles the routers each app contributes under /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Think Child API",
    version="1",
    description="Records about children, for system accounts with a bearer token.",
    urls_namespace="api",
)
