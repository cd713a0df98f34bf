from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    # First: every member's phone at a street-wide event asks for it, twice.
    path("scan/<str:token>/", views.scan, name="scan"),
    path("", views.upcoming, name="upcoming"),
    path("calendar/", views.calendar, name="calendar"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/cancel-activity/", views.activity_cancel, name="activity_cancel"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/roster/check/", views.manual_check, name="manual_check"),
    path("mine/", views.mine, name="mine"),
    path("units/<int:pk>/", views.unit_service, name="unit_service"),
    path("units/<int:pk>/certificate/", views.unit_certificate, name="unit_certificate"),
    path("teams/", views.teams, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/add/", views.team_add_member, name="team_add_member"),
    path("teams/<int:pk>/members/remove/", views.team_remove_member, name="team_remove_member"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/cancel/", views.series_cancel, name="series_cancel"),
]
