from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.organization, name="organization"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/kiosk-links/", views.kiosk_links, name="kiosk_links"),
    path("kiosk-links/<int:pk>/revoke/", views.kiosk_revoke, name="kiosk_revoke"),
    path("kiosk/<str:token>/", views.kiosk, name="kiosk"),
]
