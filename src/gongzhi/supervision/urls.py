from django.urls import path

from . import audit_views, views

app_name = "supervision"
urlpatterns = [
    # Public: complain to a community's supervision committee, follow it with the receipt.
    path("c/<str:code>/complain/", views.complain, name="complain"),
    path("track/", views.track, name="track"),
    # The committee and those it oversees.
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/rectify/", views.item_rectify, name="item_rectify"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/report/", views.rectification_report, name="rectification_report"),
    path("rectifications/<int:pk>/verify/", views.rectification_verify, name="rectification_verify"),
    path("rectifications/<int:pk>/files/<int:file_pk>/", views.evidence_file, name="evidence"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/export/", views.complaints_export, name="complaints_export"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/step/", views.complaint_step, name="complaint_step"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="complaint_reveal"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
    path("summary/", views.summary, name="summary"),
]
