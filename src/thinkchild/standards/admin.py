from django.contrib import admin

from thinkchild.org.admin import ManagedByRole
from thinkchild.standards.models import SchoolClosure, SchoolTerm


@admin.register(SchoolTerm)
class SchoolTermAdmin(ManagedByRole, admin.ModelAdmin):
    """Term dates are the system's configuration, kept by the system administrator."""

    list_display = ["local_authority", "first_day", "last_day"]
    list_filter = ["local_authority"]


@admin.register(SchoolClosure)
class SchoolClosureAdmin(ManagedByRole, admin.ModelAdmin):
    list_display = ["local_authority", "day", "reason"]
    list_filter = ["local_authority"]
