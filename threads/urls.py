from django.urls import path

from . import views

app_name = "threads"

urlpatterns = [
    path("", views.essay_list, name="essays"),
    path("essays/<slug:slug>/", views.essay_detail, name="essay"),
    path("essays/<slug:slug>/reply/", views.reply, name="reply"),
    path("essays/<slug:slug>/whole/", views.whole_thread, name="whole_thread"),
    path("essays/<slug:slug>/c/<int:pk>/", views.in_thread, name="in_thread"),
    path("essays/<slug:slug>/comments/<int:pk>/", views.comment_detail, name="comment"),
    path("essays/<slug:slug>/comments/<int:pk>/replies/", views.comment_replies, name="replies"),
    path("essays/<slug:slug>/comments/<int:pk>/reply/", views.reply, name="reply_to"),
    path("essays/<slug:slug>/comments/<int:pk>/edit/", views.edit, name="edit"),
    path("essays/<slug:slug>/comments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
