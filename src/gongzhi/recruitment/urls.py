from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.applicant_new, name="new"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/step/", views.record_step, name="step"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/steps/<int:step_pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/files/<int:file_pk>/", views.document, name="document"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/close/", views.close, name="close"),
]
