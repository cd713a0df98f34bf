from django.contrib import admin

from .models import Building, CoBuildingAgreement, CoBuildingUnit, Grid, Household, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "name_initials")
    raw_id_fields = ("parent", "secretary")


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "community", "branch")
    raw_id_fields = ("community", "branch", "grid_worker")


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("name", "grid", "group")
    raw_id_fields = ("grid", "group")


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("building", "entrance", "number", "resident_count")
    raw_id_fields = ("building",)


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organization")
    raw_id_fields = ("organization",)


@admin.register(CoBuildingAgreement)
class CoBuildingAgreementAdmin(admin.ModelAdmin):
    list_display = ("unit", "community", "starts_on", "ends_on")
    raw_id_fields = ("unit", "community")
