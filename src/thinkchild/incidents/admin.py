"""Only the configurable list of incident types is managed here.

Incidents themselves are personal data: they are read through the scoped, logged selectors and
changed through the services, never through the admin (the system administrator reads no child's
record).
"""

from django.contrib import admin

from thinkchild.incidents.models import IncidentType


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        # Old incidents keep their type; retire a type by making it inactive.
        return False
