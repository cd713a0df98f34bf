from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class GongzhiUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Gongzhi", {"fields": ("display_name", "mobile", "large_text")}))
    list_display = ("username", "display_name", "is_active", "is_superuser")
    search_fields = ("username", "display_name")
    inlines = [RoleInline]


def _superusers_only(request) -> bool:
    """Django admin is for superusers only; everyone else works through roles on the pages."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
