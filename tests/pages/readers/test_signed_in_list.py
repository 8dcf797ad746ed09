"""A thread page's comment list for signed-in readers, made once per version of the page
and kept with its data (thread_html.SignedInReader): a reader who wrote none of the
page's comments gets exactly the list made for them; one who wrote one gets their own."""

import re

from moderation.pages.readers import thread_data
from tests.helpers import client_for, make_comment, make_user
from threads.models import Comment
from threads.thread_html import comment_list_html

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def made_for(user, slug="calling-in"):
    """The list as comment_list_html makes it for ``user``, and the one kept for anyone."""
    (essay, page, *_, kept_list), _ = thread_data(slug, None)
    return comment_list_html(page.comments, essay, user, fold_tail=page.fold_tail), kept_list


def test_a_reader_who_wrote_none_of_the_comments_gets_the_list_made_for_them(seeded, reader):
    # Every state a list can show: hidden, withdrawn, paused and another's waiting comment.
    essay_comments = Comment.objects.filter(essay__slug="calling-in").order_by("pk")
    first, second, third = essay_comments[1:4]
    Comment.objects.filter(pk=first.pk).update(status=Comment.Status.HIDDEN)
    Comment.objects.filter(pk=second.pk).update(status=Comment.Status.WITHDRAWN)
    Comment.objects.filter(pk=third.pk).update(visibility_paused=True)
    someone = make_user("someone")
    make_comment(
        third.essay, author=someone, body="Waiting, by someone.", status=Comment.Status.PENDING
    )
    own_list, kept_list = made_for(reader)
    assert own_list == kept_list
    assert "Waiting, by someone." not in kept_list
    assert kept_list.count(">Flag</a>") > 0 and ">Edit</a>" not in kept_list
    client = client_for(reader)
    client.get("/essays/calling-in/")  # made and kept
    page = client.get("/essays/calling-in/").content
    assert kept_list.encode() in page


def test_the_page_from_the_kept_list_is_the_page_made_in_the_request(seeded, reader, settings):
    client = client_for(reader)
    client.get("/essays/calling-in/")
    kept = client.get("/essays/calling-in/").content  # the list read back from the cache
    assert b"&lt;li" not in kept
    # With nothing kept, the data and the list are made in the request.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    made = client.get("/essays/calling-in/").content
    assert TOKEN.sub(b"", kept) == TOKEN.sub(b"", made)


def test_a_reader_who_wrote_a_comment_on_the_page_sees_it_as_theirs(seeded, reader, other_reader):
    essay = Comment.objects.filter(essay__slug="calling-in").first().essay
    mine = make_comment(essay, author=reader, body="Mine, waiting.", status=Comment.Status.PENDING)
    shown = make_comment(essay, author=reader, body="Mine, shown.")
    other = client_for(other_reader)
    other.get("/essays/calling-in/")  # the thread's data and its kept list, made first
    page = client_for(reader).get("/essays/calling-in/").content.decode()
    assert "Mine, waiting." in page and "Only you can see this comment" in page
    assert f'<li id="c{mine.pk}"' in page
    assert f"/comments/{shown.pk}/edit/" in page and f"/comments/{shown.pk}/withdraw/" in page
    assert made_for(reader)[0] in page
    theirs = other.get("/essays/calling-in/").content.decode()
    assert "Mine, waiting." not in theirs and f"/comments/{shown.pk}/flag/" in theirs
