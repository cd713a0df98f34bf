from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.detail, name="request"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("departures/", views.departures, name="departures"),
    path("departures/<int:pk>/", views.record_departure, name="record_departure"),
]
