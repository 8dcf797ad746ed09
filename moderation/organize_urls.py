"""The organizer pages (namespace "organize"), under /organize/."""

from django.urls import path

from .pages import organizer_texts as texts
from .pages import organizers as views
from .pages import watched_words as watched

app_name = "organize"


def watched_word_urls(prefix, name_prefix):
    """The watched-words page and its actions, for one space or (prefix "") site-wide."""
    return [
        path(f"{prefix}watched-words/", watched.watched_words, name=f"{name_prefix}watched_words"),
        path(f"{prefix}watched-words/add/", watched.add_word, name=f"{name_prefix}watched_add"),
        path(
            f"{prefix}watched-words/<int:pk>/remove/",
            watched.remove_word,
            name=f"{name_prefix}watched_remove",
        ),
        path(f"{prefix}watched-words/test/", watched.try_text, name=f"{name_prefix}watched_test"),
        path(
            f"{prefix}watched-words/import/",
            watched.import_words,
            name=f"{name_prefix}watched_import",
        ),
        path(
            f"{prefix}watched-words/export/",
            watched.export_words,
            name=f"{name_prefix}watched_export",
        ),
    ]


urlpatterns = [
    path("", views.space_list, name="spaces"),
    path("new/", views.new_space, name="new"),
    # Before "<slug:slug>/": "watched-words" is a reserved slug (moderation.spaces).
    *watched_word_urls("", "site_"),
    path("<slug:slug>/", views.edit_space, name="edit"),
    path("<slug:slug>/settings/", views.moderation_settings, name="settings"),
    *watched_word_urls("<slug:slug>/", ""),
    path("<slug:slug>/discussion/", views.discussion, name="discussion"),
    path("<slug:slug>/slow-mode/", views.slow_mode, name="slow_mode"),
    path("<slug:slug>/prompt/", views.prompt, name="prompt"),
    path("<slug:slug>/text/", texts.essay_text, name="essay_text"),
    path("<slug:slug>/import/", texts.import_comments, name="import"),
    path("<slug:slug>/import/arrange/", texts.import_arrange, name="import_arrange"),
]
