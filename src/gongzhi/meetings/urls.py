from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("plan/", views.plan, name="plan"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("compliance/", views.compliance_grid, name="compliance"),
    path("compliance/frequencies/", views.requirements, name="requirements"),
    path("stats/<int:pk>/", views.stats, name="stats"),
    path("appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/open/", views.appraisal_open, name="appraisal_open"),
    path("appraisals/<int:pk>/", views.appraisal, name="appraisal"),
    path("appraisals/<int:pk>/self/", views.appraisal_self, name="appraisal_self"),
    path("appraisals/<int:pk>/vote/", views.appraisal_vote, name="appraisal_vote"),
    path("appraisals/<int:pk>/close/", views.appraisal_close, name="appraisal_close"),
    path("appraisals/<int:pk>/propose/", views.appraisal_propose, name="appraisal_propose"),
    path("appraisals/<int:pk>/confirm/", views.appraisal_confirm, name="appraisal_confirm"),
    path("distribution/<int:pk>/", views.distribution, name="distribution"),
]
