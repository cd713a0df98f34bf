from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.my_study, name="my_study"),
    path("materials/", views.materials, name="materials"),
    path("materials/new/", views.material_new, name="material_new"),
    path("materials/<int:pk>/", views.material_detail, name="material"),
    path("materials/<int:pk>/studied/", views.mark_studied, name="mark_studied"),
    path("materials/<int:pk>/edit/", views.material_edit, name="material_edit"),
    path("materials/<int:pk>/withdraw/", views.material_withdraw, name="material_withdraw"),
    path("materials/<int:pk>/quiz/", views.quiz_edit, name="quiz_edit"),
    path("quizzes/<int:pk>/", views.quiz, name="quiz"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("courses/<int:pk>/file/", views.course_file, name="course_file"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/delete/", views.course_delete, name="course_delete"),
    path("classes/", views.classes, name="classes"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<int:pk>/", views.class_detail, name="class"),
    path("classes/<int:pk>/enrol/", views.class_enrol, name="class_enrol"),
    path("classes/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("classes/<int:pk>/finish/", views.class_finish, name="class_finish"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("figures/", views.stats, name="stats"),
    path("figures/<int:pk>/", views.organization_stats, name="org_stats"),
    path("members/<int:pk>/", views.member_detail, name="member"),
]
