from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from moderation.ratelimits import limit_failed_logins

# A database error raised outside a view (e.g. saving the session) reaches this handler.
handler500 = "config.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Failed sign-ins are rate-limited; the other account pages are Django's own.
    path("accounts/login/", limit_failed_logins(auth_views.LoginView.as_view()), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("organize/", include("moderation.organize_urls")),
    path("", include("moderation.urls")),
    path("", include("moderation.thread_urls")),
]
