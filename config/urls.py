from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from moderation.ratelimits import limit_logins

urlpatterns = [
    path("admin/", admin.site.urls),
    # Signing in is rate-limited; the other account pages are Django's own.
    path("accounts/login/", limit_logins(auth_views.LoginView.as_view()), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("organize/", include("threads.organize_urls")),
    path("", include("moderation.urls")),
    path("", include("threads.urls")),
]
