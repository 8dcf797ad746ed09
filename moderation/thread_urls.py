"""The thread pages (namespace "threads"): for readers, and the whole thread for moderators."""

from django.urls import path

from .pages import moderators, readers

app_name = "threads"

urlpatterns = [
    path("", readers.essay_list, name="essays"),
    path("essays/<slug:slug>/", readers.essay_detail, name="essay"),
    path("essays/<slug:slug>/reply/", readers.reply, name="reply"),
    path("essays/<slug:slug>/whole/", moderators.whole_thread, name="whole_thread"),
    path("essays/<slug:slug>/c/<int:pk>/", readers.in_thread, name="in_thread"),
    path("essays/<slug:slug>/comments/<int:pk>/", readers.comment_detail, name="comment"),
    path("essays/<slug:slug>/comments/<int:pk>/replies/", readers.comment_replies, name="replies"),
    path("essays/<slug:slug>/comments/<int:pk>/reply/", readers.reply, name="reply_to"),
    path("essays/<slug:slug>/comments/<int:pk>/edit/", readers.edit, name="edit"),
    path("essays/<slug:slug>/comments/<int:pk>/withdraw/", readers.withdraw, name="withdraw"),
]
