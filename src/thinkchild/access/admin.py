"""The processing log in the admin is read-only: s.62 logs are evidence, so nobody edits them."""

from django.contrib import admin

from thinkchild.access.models import AccessListEntry, ProcessingLogEntry
from thinkchild.access.policy import Action, RecordKind, role_can


@admin.register(ProcessingLogEntry)
class ProcessingLogEntryAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "operation",
        "actor_label",
        "subject_type",
        "subject_label",
        "out_of_scope",
        "channel",
    ]
    list_filter = ["operation", "channel", "out_of_scope", "subject_type"]
    search_fields = ["actor_label", "subject_label", "justification", "=subject_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]

    def _may_read_log(self, request) -> bool:
        # Names and reasons: only for roles that may read the log (the PPU lead), never for the
        # system administrator or a superuser as such, whose role reads no child's record.
        return role_can(request.user.role, RecordKind.PROCESSING_LOG, Action.VIEW_PROCESSING_LOG)

    def has_module_permission(self, request):
        return self._may_read_log(request)

    def has_view_permission(self, request, obj=None):
        return self._may_read_log(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessListEntry)
class AccessListEntryAdmin(admin.ModelAdmin):
    list_display = ["subject_type", "subject_id", "user", "added_by", "added_at"]
    list_filter = ["subject_type"]
    search_fields = ["=subject_id", "user__username"]
    raw_id_fields = ["user", "added_by"]
    readonly_fields = ["added_by", "added_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
