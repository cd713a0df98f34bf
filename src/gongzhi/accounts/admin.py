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
