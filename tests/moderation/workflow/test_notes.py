"""Annotations (private notes, public context notes) and bridging notes."""

from datetime import timedelta

import pytest

from moderation import workflow
from moderation.models import Annotation
from tests.helpers import actions, fresh
from threads.models import Comment, Essay

pytestmark = pytest.mark.django_db


def test_comment_note_is_private_and_about_the_comment(moderator, comment):
    note = workflow.annotate(moderator, comment, Annotation.Kind.COMMENT_NOTE, " Check sources. ")

    note = fresh(note)
    assert note.kind == Annotation.Kind.COMMENT_NOTE and not note.is_public
    assert note.comment == comment and note.case is None
    assert note.body == "Check sources."
    assert note.created_by == moderator and note.created is not None
    assert note.about_user is None and note.about_name == ""
    assert note.retracted_at is None
    assert actions(comment=comment) == ["annotation_added"]


def test_author_note_names_the_author_account(moderator, comment, author):
    note = workflow.annotate(moderator, comment, Annotation.Kind.AUTHOR_NOTE, "Usually kind.")

    note = fresh(note)
    assert note.kind == Annotation.Kind.AUTHOR_NOTE and not note.is_public
    assert note.about_user == author
    assert note.about_name == comment.author_name == "author"


def test_author_note_on_an_imported_comment_names_the_display_name(moderator, imported_comment):
    note = workflow.annotate(moderator, imported_comment, Annotation.Kind.AUTHOR_NOTE, "Hmm.")
    note = fresh(note)
    assert note.about_user is None
    assert note.about_name == "Imported Person"


def test_context_note_is_public(moderator, comment):
    note = workflow.annotate(moderator, comment, Annotation.Kind.CONTEXT, "The study says X.")
    note = fresh(note)
    assert note.kind == Annotation.Kind.CONTEXT and note.is_public
    assert note.about_user is None and note.about_name == ""


def test_annotating_within_a_case_links_it_and_bumps_the_version(moderator, case):
    version = fresh(case).version

    note = workflow.annotate(moderator, case.comment, Annotation.Kind.CONTEXT, "Context.", case)

    assert fresh(note).case == case
    assert fresh(case).version == version + 1
    assert actions(case)[-1] == "annotation_added"


@pytest.mark.parametrize("kind", ["", "public", None])
def test_annotating_with_an_unknown_kind_is_refused(moderator, comment, kind):
    with pytest.raises(workflow.Refused, match="what kind"):
        workflow.annotate(moderator, comment, kind, "Text.")
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("body", ["", "  ", "x" * 4001])
def test_annotating_without_text_or_with_too_much_is_refused(moderator, comment, body):
    with pytest.raises(workflow.Refused):
        workflow.annotate(moderator, comment, Annotation.Kind.COMMENT_NOTE, body)
    assert not Annotation.objects.exists()
    assert actions() == []


def test_an_empty_note_is_refused_in_words_the_moderator_can_act_on(moderator, comment):
    """The forms refuse it first; this is the refusal every other way in shows."""
    with pytest.raises(workflow.Refused) as refused:
        workflow.annotate(moderator, comment, Annotation.Kind.AUTHOR_NOTE, " \n ")
    assert str(refused.value) == "Write the note first."
    assert not Annotation.objects.exists()


def test_retract_marks_the_note_retracted_without_deleting_it(moderator, second_moderator, comment):
    note = workflow.annotate(moderator, comment, Annotation.Kind.CONTEXT, "Context.")

    workflow.retract_annotation(second_moderator, note)

    note = fresh(note)
    assert note.retracted_at is not None
    assert note.body == "Context."
    assert actions(comment=comment) == ["annotation_added", "annotation_retracted"]


def test_retracting_twice_is_refused(moderator, comment):
    note = workflow.annotate(moderator, comment, Annotation.Kind.CONTEXT, "Context.")
    workflow.retract_annotation(moderator, note)
    retracted_at = fresh(note).retracted_at

    with pytest.raises(workflow.Refused, match="already retracted"):
        workflow.retract_annotation(moderator, note)

    assert fresh(note).retracted_at == retracted_at
    assert actions().count("annotation_retracted") == 1


def test_bridging_note_is_posted_under_the_comment_by_the_moderators(moderator, comment):
    note = workflow.add_bridging_note(moderator, comment, "  Both of you care about this.  ")

    note = fresh(note)
    assert note.kind == Comment.Kind.BRIDGE
    assert note.parent == comment and note.essay == comment.essay
    assert note.tree_id == comment.tree_id and note.level == comment.level + 1
    assert note.author_name == "The moderators"
    assert note.author == moderator
    assert note.body == "Both of you care about this."
    assert note.status == Comment.Status.VISIBLE
    assert actions(comment=comment) == ["bridging_note_added"]


def test_bridging_note_is_posted_even_when_the_discussion_is_closed(moderator, comment):
    Essay.objects.filter(pk=comment.essay_id).update(discussion=Essay.Discussion.CLOSED)
    comment = fresh(comment)

    note = workflow.add_bridging_note(moderator, comment, "A note.")

    assert fresh(note).kind == Comment.Kind.BRIDGE


def test_bridging_note_ignores_paused_replies_and_slow_mode(moderator, comment):
    workflow.pause_replies(moderator, comment, timedelta(hours=1))
    workflow.set_slow_mode(moderator, comment.essay, 3600)
    workflow.add_bridging_note(moderator, fresh(comment), "One.")
    workflow.add_bridging_note(moderator, fresh(comment), "Two.")
    assert comment.children.filter(kind=Comment.Kind.BRIDGE).count() == 2


def test_bridging_note_under_a_hidden_comment_is_refused(moderator, comment):
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)

    with pytest.raises(workflow.Refused, match="no longer shown"):
        workflow.add_bridging_note(moderator, fresh(comment), "A note.")

    assert not Comment.objects.filter(kind=Comment.Kind.BRIDGE).exists()
    assert actions() == []


def test_empty_bridging_note_is_refused(moderator, comment):
    with pytest.raises(workflow.Refused):
        workflow.add_bridging_note(moderator, comment, "  ")
    assert not Comment.objects.filter(kind=Comment.Kind.BRIDGE).exists()
