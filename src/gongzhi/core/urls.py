from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("todo/counts/", views.todo_counts, name="todo_counts"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/remove/", views.holidays_remove, name="holidays_remove"),
    path("holidays/<int:year>/", views.holidays_year, name="holidays_year"),
]
