from django.urls import path

from . import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("activate/", admin_views.activate, name="activate"),
    path("me/", views.profile, name="profile"),
    path("me/large-text/", views.toggle_large_text, name="large_text"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    # Administration of accounts and roles (staff and the security administrator).
    path("manage/", admin_views.accounts, name="manage"),
    path("manage/new/", admin_views.account_new, name="account_new"),
    path("manage/bulk/", admin_views.bulk_accounts, name="bulk"),
    path("manage/<int:pk>/", admin_views.account_detail, name="account"),
    path("manage/<int:pk>/code/", admin_views.account_code, name="account_code"),
    path("manage/<int:pk>/deactivate/", admin_views.account_deactivate, name="account_deactivate"),
    path("manage/<int:pk>/roles/", admin_views.role_grant, name="role_grant"),
    path("manage/<int:pk>/roles/<int:role_pk>/end/", admin_views.role_end, name="role_end"),
]
