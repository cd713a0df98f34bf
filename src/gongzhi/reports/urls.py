from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("summaries/new/", views.summary_new, name="summary_new"),
    path("summaries/<uuid:pk>/", views.summary, name="summary"),
    path("summaries/<uuid:pk>/save/", views.summary_save, name="summary_save"),
    path("summaries/<uuid:pk>/restore/", views.summary_restore, name="summary_restore"),
    path("summaries/<uuid:pk>/download/", views.summary_download, name="summary_download"),
    path("statistics/new/", views.statistics_new, name="statistics_new"),
    path("statistics/<uuid:pk>/download/", views.statistics_download, name="statistics_download"),
]
urlpatterns += [
    path("units/<int:pk>/feedback/", views.unit_feedback, name="unit_feedback"),
    path("units/<int:pk>/feedback/send/", views.unit_feedback_send, name="unit_feedback_send"),
    path("units/<int:pk>/evaluate/", views.unit_evaluate, name="unit_evaluate"),
    path("feedback/<int:pk>/download/", views.feedback_download, name="feedback_download"),
]
