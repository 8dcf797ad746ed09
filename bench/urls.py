"""The app's URLs plus django-comments-xtd's (its comment tree links to them)."""

from django.urls import include, path

from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("xtd/", include("django_comments_xtd.urls")), *app_urlpatterns]
