from django.urls import path

from . import reader_views, views

app_name = "moderation"

urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/cases/<int:pk>/", views.case_detail, name="case"),
    path("moderation/cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("moderation/comments/<int:pk>/open-case/", views.open_case, name="open_case"),
    path("moderation/log/", views.event_log, name="log"),
    path("moderation/bulk/", views.bulk_action, name="bulk"),
    path("moderation/saved-replies/", views.saved_replies, name="saved_replies"),
    path("moderation/comments/<int:pk>/feature/", views.feature_comment, name="feature"),
    path(
        "inbox/warnings/<int:pk>/acknowledge/",
        reader_views.acknowledge_warning,
        name="acknowledge_warning",
    ),
    path("moderation/dashboard/", views.dashboard, name="dashboard"),
    path("comments/<int:pk>/flag/", reader_views.flag, name="flag"),
    path("inbox/", reader_views.inbox, name="inbox"),
    path("inbox/<int:pk>/", reader_views.inbox_case, name="inbox_case"),
    path(
        "inbox/<int:pk>/<str:action>/",
        reader_views.inbox_action,
        name="inbox_action",
    ),
]
