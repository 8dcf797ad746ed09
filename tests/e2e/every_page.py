"""Every page of the site, as the person who uses it sees it (issue 14, points 4 and 6).

``every_page()`` puts the demo (``seed_demo``) in a state where each page has something
to show (an open case with a call-in ben can answer, a hidden comment of ben's he has
appealed and another he still can), then lists (name, username, path, status): the name
is the screenshot's (``<name>-390.png``, ``<name>-1280.png``), the username who signs in
(None: a visitor), the status the page answers with.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from moderation import workflow
from moderation.workflow.appeals import appeal_open
from threads.models import Comment
from threads.posting import insert_comment


def _hidden_comment_of(ben, essay, body, flagger, moderator):
    comment = Comment(essay=essay, author=ben, author_name="ben", body=body, created=timezone.now())
    with transaction.atomic():
        comment = insert_comment(comment, None)
    _, case = workflow.flag_comment(flagger, comment, "spam")
    workflow.resolve(moderator, case, "hidden", hide_reason="spam")
    return comment


def every_page():
    users = get_user_model().objects.in_bulk(["ada", "ben", "moderator"], field_name="username")
    ada, ben, moderator = users["ada"], users["ben"], users["moderator"]
    reply = Comment.objects.get(author=ben, body__startswith="Honestly")  # the README's reply
    essay = reply.essay
    _, case = workflow.flag_comment(ada, reply, "heated", "It calls a whole group names.")
    workflow.call_in(moderator, case, "Hello ben, would you reread your reply?")
    appealed = _hidden_comment_of(ben, essay, "Cheap watches at my shop!", ada, moderator)
    appeal = appeal_open(user=ben, kind="hidden", body="It was a joke.", comment=appealed)
    open_to_appeal = _hidden_comment_of(ben, essay, "Visit my shop today!", ada, moderator)
    thread = f"/essays/{essay.slug}/"
    pages = [
        ("home", None, "/"),
        ("sign-in", None, "/accounts/login/"),
        ("transparency", None, "/transparency/"),
        ("thread", "ada", thread),
        ("comment", "ada", f"{thread}comments/{reply.parent_id}/"),
        ("replies", "ada", f"{thread}comments/{reply.parent_id}/replies/"),
        ("reply", "ada", f"{thread}comments/{reply.pk}/reply/"),
        ("flag", "ada", f"/comments/{reply.pk}/flag/"),
        ("edit", "ben", f"{thread}comments/{reply.pk}/edit/"),
        ("withdraw", "ben", f"{thread}comments/{reply.pk}/withdraw/"),
        ("inbox", "ben", "/inbox/"),
        ("inbox-case", "ben", f"/inbox/{case.pk}/"),
        ("appeal-new", "ben", f"/inbox/appeal/hidden/{open_to_appeal.pk}/"),
        ("appeal", "ben", f"/inbox/appeals/{appeal.pk}/"),
        ("queue", "moderator", "/moderation/"),
        ("case", "moderator", f"/moderation/cases/{case.pk}/"),
        ("log", "moderator", "/moderation/log/"),
        ("dashboard", "moderator", "/moderation/dashboard/"),
        ("saved-replies", "moderator", "/moderation/saved-replies/"),
        ("whole-thread", "moderator", f"{thread}whole/"),
        ("appeal-case", "admin", f"/moderation/appeals/{appeal.case_id}/"),
        ("watched-words", "moderator", "/organize/watched-words/"),
        ("organize", "organizer", "/organize/"),
        ("organize-new", "organizer", "/organize/new/"),
        ("organize-space", "organizer", f"/organize/{essay.slug}/"),
        ("space-watched-words", "organizer", f"/organize/{essay.slug}/watched-words/"),
    ]
    return [(*page, 200) for page in pages] + [
        ("not-found", None, "/essays/no-such-space/", 404),
        ("not-allowed", "ada", "/organize/", 403),
    ]
