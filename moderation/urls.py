"""Moderator pages and the readers' flag and inbox (namespace "moderation")."""

from django.urls import path

from .pages import appeals, cases, moderators, readers, transparency

app_name = "moderation"

urlpatterns = [
    path("moderation/", moderators.queue, name="queue"),
    path("moderation/live/", moderators.queue_rows, name="queue_rows"),
    path("moderation/cases/<int:pk>/", cases.case_detail, name="case"),
    path("moderation/cases/<int:pk>/live/", cases.case_live, name="case_live"),
    path(
        "moderation/cases/<int:pk>/queue/<slug:action>/",
        moderators.queue_action,
        name="queue_action",
    ),
    path("moderation/cases/<int:pk>/<slug:action>/", cases.case_action, name="case_action"),
    path("moderation/comments/<int:pk>/open-case/", moderators.open_case, name="open_case"),
    path("moderation/log/", moderators.event_log, name="log"),
    path("moderation/bulk/", moderators.bulk_action, name="bulk"),
    path("moderation/saved-replies/", moderators.saved_replies, name="saved_replies"),
    path("moderation/comments/<int:pk>/feature/", moderators.feature_comment, name="feature"),
    path(
        "inbox/warnings/<int:pk>/acknowledge/",
        readers.acknowledge_warning,
        name="acknowledge_warning",
    ),
    path("moderation/dashboard/", moderators.dashboard, name="dashboard"),
    path("comments/<int:pk>/flag/", readers.flag, name="flag"),
    path("inbox/", readers.inbox, name="inbox"),
    path("inbox/appeal/<slug:kind>/<int:target>/", appeals.appeal_new, name="appeal_new"),
    path("inbox/appeals/<int:pk>/", appeals.appeal_detail, name="appeal"),
    path("moderation/appeals/<int:case_pk>/", appeals.appeal_case, name="appeal_case"),
    path("transparency/", transparency.transparency, name="transparency"),
    path("transparency.csv", transparency.transparency_csv, name="transparency_csv"),
    path("inbox/<int:pk>/", readers.inbox_case, name="inbox_case"),
    path(
        "inbox/<int:pk>/<str:action>/",
        readers.inbox_action,
        name="inbox_action",
    ),
]
