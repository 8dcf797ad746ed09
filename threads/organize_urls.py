from django.urls import path

from . import organize_views as views

app_name = "organize"

urlpatterns = [
    path("", views.space_list, name="spaces"),
]
