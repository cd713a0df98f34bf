from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("entries/<int:pk>/reverse/", views.reverse, name="reverse"),
    path("rules/<int:pk>/", views.rules, name="rules"),
    path("rankings/<int:pk>/", views.rankings, name="rankings"),
    path("rankings/<int:pk>/settings/", views.ranking_settings, name="ranking_settings"),
]
