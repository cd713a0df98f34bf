from django.urls import path

from . import views

# Mounted under points/ (the paths these pages had before recognition became its own app).
app_name = "recognition"
urlpatterns = [
    path("rankings/<int:pk>/", views.rankings, name="rankings"),
    path("rankings/<int:pk>/settings/", views.ranking_settings, name="ranking_settings"),
    path("titles/<int:pk>/", views.titles, name="titles"),
    path("titles/badge/<int:pk>/toggle/", views.badge_toggle, name="badge_toggle"),
    path("nominations/<int:pk>/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/export/", views.nominations_export, name="nominations_export"),
]
