"""Only reference data is in the admin: schools, local authorities and partner agencies.

People, addresses and relationships are not: the admin writes models directly, past the services
that log every processing (s.62) and past the scope rules, and the system administrator reads no
child's record (issue #2). They are changed through the people pages and the importer instead.
"""

from django.contrib import admin

from thinkchild.people.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "urn", "local_authority")
    list_filter = ("kind",)
    search_fields = ("name", "urn")
    raw_id_fields = ("local_authority", "location")
