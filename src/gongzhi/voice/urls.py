from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("c/<str:code>/new/", views.public_new, name="public_new"),
    path("c/<str:code>/", views.public_figures, name="public_figures"),
    path("figures/", views.figures, name="figures"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("new/", views.resident_new, name="resident_new"),
    path("entry/", views.staff_entry, name="entry"),
    path("qr/<int:pk>/", views.qr, name="qr"),
    path("rules/<int:pk>/", views.rules_page, name="rules"),
    path("queue/", views.queue, name="queue"),
    path("queue/export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
]
urlpatterns += [
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/new/", views.wish_new, name="wish_new"),
    path("wishes/<int:pk>/claim/", views.wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/fulfil/", views.wish_fulfil, name="wish_fulfil"),
    path("wishes/<int:pk>/confirm/", views.wish_confirm, name="wish_confirm"),
    path("wishes/<int:pk>/photo/", views.wish_photo, name="wish_photo"),
]
urlpatterns += [
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/step/", views.consultation_step, name="consultation_step"),
    path("consultations/<int:pk>/opinion/", views.consultation_opinion, name="consultation_opinion"),
]
