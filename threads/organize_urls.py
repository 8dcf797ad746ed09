from django.urls import path

from . import organize_views as views

app_name = "organize"

urlpatterns = [
    path("", views.space_list, name="spaces"),
    path("new/", views.new_space, name="new"),
    path("<slug:slug>/", views.edit_space, name="edit"),
    path("<slug:slug>/discussion/", views.discussion, name="discussion"),
    path("<slug:slug>/slow-mode/", views.slow_mode, name="slow_mode"),
    path("<slug:slug>/prompt/", views.prompt, name="prompt"),
    path("<slug:slug>/import/", views.import_comments, name="import"),
]
