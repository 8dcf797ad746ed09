from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("organize/", include("threads.organize_urls")),
    path("", include("moderation.urls")),
    path("", include("threads.urls")),
]
