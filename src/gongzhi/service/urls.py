from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/roster/check/", views.manual_check, name="manual_check"),
    path("scan/<str:token>/", views.scan, name="scan"),
    path("mine/", views.mine, name="mine"),
    path("units/<int:pk>/certificate/", views.unit_certificate, name="unit_certificate"),
]
