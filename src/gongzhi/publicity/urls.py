from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    # The public page of each community and village (no login).
    path("c/<str:code>/", views.public_board, name="public_board"),
    path("c/<str:code>/archive/", views.public_archive, name="public_archive"),
    path("c/<str:code>/items/<int:pk>/", views.public_item, name="public_item"),
    path("c/<str:code>/items/<int:pk>/ask/", views.ask, name="ask"),
    path("c/<str:code>/items/<int:pk>/files/<int:file_pk>/", views.public_file, name="public_file"),
    path("c/<str:code>/news/<int:pk>/", views.public_post, name="public_post"),
    path("c/<str:code>/photos/<int:pk>/", views.public_photo, name="public_photo"),
    # Staff: boards, items, approvals, overdue list, catalogue.
    path("", views.boards, name="boards"),
    path("boards/<int:pk>/", views.board, name="board"),
    path("boards/<int:pk>/poster/", views.poster, name="poster"),
    path("boards/<int:pk>/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/attach/", views.item_attach, name="item_attach"),
    path("items/<int:pk>/files/<int:file_pk>/", views.item_file, name="item_file"),
    path("items/<int:pk>/files/<int:file_pk>/remove/", views.item_file_remove, name="item_file_remove"),
    path("items/<int:pk>/step/", views.item_step, name="item_step"),
    path("approvals/", views.approvals, name="approvals"),
    path("overdue/", views.overdue, name="overdue"),
    path("catalogue/<int:pk>/", views.catalogue_page, name="catalogue"),
    # News and notices.
    path("news/", views.news, name="news"),
    path("news/manage/", views.news_manage, name="news_manage"),
    path("news/new/", views.post_new, name="post_new"),
    path("news/<int:pk>/", views.post_detail, name="post"),
    path("news/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("news/<int:pk>/photos/", views.post_photo_add, name="post_photo_add"),
    path("news/<int:pk>/photos/<int:photo_pk>/", views.post_photo, name="post_photo"),
    path("news/<int:pk>/step/", views.post_step, name="post_step"),
    path("news/<int:pk>/read/", views.post_ack, name="post_ack"),
]
