from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("new/", views.member_new, name="new"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/transfer-out/", views.transfer_out, name="transfer_out"),
    path("transfers/in/", views.transfer_in, name="transfer_in"),
    path("import/", views.import_roster, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/report.xlsx", views.import_report, name="import_report"),
    path("import/job-codes/", views.job_codes, name="job_codes"),
    path("reported/", views.reported, name="reported"),
    path("reported/new/", views.report, name="report"),
    path("reported/<int:pk>/decide/", views.decide, name="decide"),
    path("reported/qr/<int:pk>/", views.report_qr, name="report_qr"),
    path("c/<str:code>/report/", views.report_self, name="report_self"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/new/", views.transfer_new, name="transfer_new"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("stats/<int:pk>/", views.stats, name="stats"),
    path("residents/", views.residents, name="residents"),
    path("residents/new/", views.resident_new, name="resident_new"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
]
