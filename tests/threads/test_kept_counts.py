"""A space's counts are kept on write, in the writer's transaction, and `verify_counts`
recounts them."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from moderation import spaces, workflow
from moderation.models import Case
from moderation.submissions import comment_submit
from tests.helpers import fresh, make_comment
from threads import posting
from threads.models import Essay
from threads.queries import thread_counts

SEED_000 = Path(settings.BASE_DIR) / "fixtures" / "seeds" / "000_ac2c2a8ca753e8fe.txt"


def kept(essay):
    essay = fresh(essay)
    return {"total": essay.comment_count, "top_level": essay.top_level_count}


def test_new_comments_and_replies_are_counted(space, reader):
    top = comment_submit(user=reader, essay=space, body="A first comment.")
    comment_submit(user=reader, essay=space, body="A reply.", parent=top)
    assert kept(space) == {"total": 2, "top_level": 1} == thread_counts(space)


def test_hiding_withdrawing_and_unhiding_move_the_count(space, comment, author, moderator):
    other = make_comment(space, body="Another one.", author=author)
    assert kept(space)["total"] == 2
    case, _ = workflow.open_case(moderator, comment)
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    assert kept(space) == {"total": 1, "top_level": 2}
    workflow.unhide(moderator, comment, "a second look")
    assert kept(space)["total"] == 2
    posting.withdraw_comment(other, author)
    assert kept(space) == {"total": 1, "top_level": 2} == thread_counts(space)


def test_a_held_comment_counts_once_approved(space, reader, moderator):
    space.premoderate_first = 1
    space.save(update_fields=["premoderate_first"])
    held = comment_submit(user=reader, essay=space, body="Waiting for a moderator.")
    assert kept(space) == {"total": 0, "top_level": 1}
    workflow.approve(moderator, Case.objects.get(comment=held))
    assert kept(space) == {"total": 1, "top_level": 1} == thread_counts(space)


def test_a_rolled_back_write_leaves_the_counts(space, reader):
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_submit(user=reader, essay=space, body="Never posted.")
        raise RuntimeError
    assert kept(space) == {"total": 0, "top_level": 0}


def test_a_stale_copy_of_the_essay_does_not_write_back_its_counts(space, organizer):
    stale = fresh(space)
    make_comment(space, body="Posted meanwhile.")
    stale.title = "Renamed"
    stale.save()
    spaces.update_space(organizer, stale, subtitle="Also changed")
    essay = fresh(space)
    assert (essay.title, essay.subtitle, essay.comment_count) == ("Renamed", "Also changed", 1)


def test_an_import_counts_what_it_added(essay):
    call_command(
        "import_comments", str(SEED_000), essay="essay", replies="9>8,10>8", stdout=StringIO()
    )
    assert kept(essay) == thread_counts(essay)
    assert kept(essay)["total"] > 0


def test_every_change_bumps_the_version(space, comment, moderator):
    versions = [fresh(space).version]
    for change in (
        lambda: workflow.collapse(moderator, comment),
        lambda: workflow.feature(moderator, comment),
        lambda: workflow.annotate(moderator, comment, "context", "Some context."),
        lambda: workflow.set_slow_mode(moderator, space, 60),
    ):
        change()
        versions.append(fresh(space).version)
    assert versions == sorted(set(versions))


def verify(**options):
    out = StringIO()
    call_command("verify_counts", stdout=out, **options)
    return out.getvalue()


def test_verify_counts_reports_and_fixes_a_difference(space, comment):
    assert "match" in verify()
    Essay.objects.filter(pk=space.pk).update(comment_count=7)
    with pytest.raises(CommandError, match="1 space"):
        verify()
    out = verify(fix=True)
    assert f'"{space.title}" ({space.slug}): visible comments kept 7, counted 1' in out
    assert kept(space)["total"] == 1
    assert "match" in verify()
