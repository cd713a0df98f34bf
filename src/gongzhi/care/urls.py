from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.index, name="index"),
    path("pair/", views.pair, name="pair"),
    path("registry/", views.registry, name="registry"),
    path("residents/<int:pk>/", views.resident, name="resident"),
    path("residents/<int:pk>/tags/", views.tag_add, name="tag_add"),
    path("pairings/<int:pk>/visit/", views.visit, name="visit"),
    path("visits/<int:pk>/wish/", views.need_to_wish, name="need_to_wish"),
    path("visits/<int:pk>/request/", views.need_to_request, name="need_to_request"),
]
