from django.urls import path

from . import views

app_name = "democracy"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/<int:pk>/", views.meeting_votes, name="meeting"),
    path("meetings/<int:pk>/vote/", views.meeting_vote, name="meeting_vote"),
    path("votes/<int:pk>/", views.resolution_detail, name="resolution"),
    path("votes/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("votes/<int:pk>/close/", views.close, name="close"),
    path("conversions/", views.conversions, name="conversions"),
    path("conversions/<int:pk>/", views.conversion_detail, name="conversion"),
    path("matters/", views.matters, name="matters"),
    path("villages/<int:pk>/matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("matters/<int:pk>/step/", views.matter_step, name="matter_step"),
    path("matters/<int:pk>/steps/<int:step_pk>/attach/", views.step_attach, name="step_attach"),
    path("matters/<int:pk>/files/<int:file_pk>/", views.step_file, name="step_file"),
    path("terms/", views.terms, name="terms"),
    path("organizations/<int:pk>/terms/new/", views.term_new, name="term_new"),
    path("terms/<int:pk>/", views.term_detail, name="term"),
    path("elections/", views.elections, name="elections"),
    path("organizations/<int:pk>/elections/new/", views.election_new, name="election_new"),
    path("elections/<int:pk>/", views.election_detail, name="election"),
    path("elections/<int:pk>/prepare/", views.election_prepare, name="election_prepare"),
    path("elections/<int:pk>/review/", views.election_review, name="election_review"),
    path("elections/<int:pk>/ballot/", views.election_ballot, name="election_ballot"),
]
