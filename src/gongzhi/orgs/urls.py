from django.urls import path

from . import admin_views, setup_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/children/", views.tree_children, name="children"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
]

urlpatterns += [
    # Administration by role and level.
    path("<int:pk>/manage/", admin_views.manage, name="manage"),
    path("<int:pk>/new/", admin_views.org_new, name="org_new"),
    path("<int:pk>/edit/", admin_views.org_edit, name="org_edit"),
    path("<int:pk>/move/", admin_views.org_move, name="org_move"),
    path("<int:pk>/close/", admin_views.org_close, name="org_close"),
    path("<int:pk>/grids/new/", admin_views.grid_new, name="grid_new"),
    path("grids/<int:pk>/edit/", admin_views.grid_edit, name="grid_edit"),
    path("grids/<int:pk>/buildings/new/", admin_views.building_new, name="building_new"),
    path("buildings/<int:pk>/edit/", admin_views.building_edit, name="building_edit"),
    path("buildings/<int:pk>/households/new/", admin_views.household_new, name="household_new"),
    path("households/<int:pk>/edit/", admin_views.household_edit, name="household_edit"),
    path("<int:pk>/units/new/", admin_views.unit_new, name="unit_new"),
    path("<int:pk>/agreements/new/", admin_views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/edit/", admin_views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/renew/", admin_views.agreement_renew, name="agreement_renew"),
    # Bulk set-up from spreadsheets.
    path("setup/import/", setup_views.setup_import, name="setup_import"),
    path("setup/import/confirm/", setup_views.setup_import_confirm, name="setup_import_confirm"),
    path("setup/import/report.xlsx", setup_views.setup_import_report, name="setup_import_report"),
    path("setup/template/<str:kind>.xlsx", setup_views.setup_template, name="setup_template"),
]
