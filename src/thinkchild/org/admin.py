"""The admin site, for the system administrator: forces, areas, teams, users, and API tokens.

Passwords and tokens are set through the `thinkchild user` command (validated, shown once), so the
admin shows tokens read-only and never a hash.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.org.models import ApiToken, Area, Force, Team, User


class ManagedByRole:
    """Open to the roles that manage users (docs/security.md), not to Django's model permissions:
    the role matrix is the one source of who may do what. Nothing here is ever deleted: a user
    is deactivated, so their history and log entries keep a name."""

    def _manages(self, request) -> bool:
        return role_can(request.user.role, RecordKind.USERS, Action.MANAGE_USERS)

    def has_module_permission(self, request):
        return self._manages(request)

    def has_view_permission(self, request, obj=None):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request)

    def has_add_permission(self, request):
        return self._manages(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Force)
class ForceAdmin(ManagedByRole, admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Area)
class AreaAdmin(ManagedByRole, admin.ModelAdmin):
    list_display = ["name", "code", "force"]
    list_filter = ["force"]


@admin.register(Team)
class TeamAdmin(ManagedByRole, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "area", "force"]
    list_filter = ["kind", "force", "area"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(ManagedByRole, SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "team", "is_active", "is_demo"]
    list_filter = ["role", "is_active", "is_demo", "team__kind"]
    search_fields = ["username", "first_name", "last_name", "collar_number", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email", "rank", "collar_number"]}),
        ("Role and team", {"fields": ["role", "force", "team"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_demo", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    raw_id_fields = ["team"]


@admin.register(ApiToken)
class ApiTokenAdmin(ManagedByRole, admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
