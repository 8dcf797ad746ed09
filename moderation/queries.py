"""Queries behind the moderation pages, and the context notes every thread page shows;
each page costs a fixed number of queries."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from threads.diffs import word_diff
from threads.models import Comment, Essay
from threads.queries import with_indent

from .log_words import ACTION_CHOICES
from .models import Annotation, Case, Flag, Message, ModerationEvent, Sanction, SavedReply
from .watched import highlight_spans
from .workflow import NEXT_STEP, RUNG_NAMES, NothingToUndo, Refused, standing, undo_target

SIBLINGS_AROUND = 3
REPLIES_SHOWN = 200
# The queue counts open cases up to this many ("10,000+"): counting them all
# would make a huge queue slower than a big one, for a number nobody needs exactly.
QUEUE_COUNT_CAP = 10_000
# The author's answers to a call-in, the last of which a queue row reads.
ANSWERS = (Message.Kind.AUTHOR, Message.Kind.REVISED, Message.Kind.WITHDRAWN)


def with_context_notes(comments, essay=None):
    """Attach each comment's public context notes (one query).

    Pass ``essay`` when ``comments`` is its whole thread: notes are then found
    by essay rather than by a list of every comment's id.
    """
    notes = {}
    on = {"comment__essay": essay} if essay else {"comment__in": [c.pk for c in comments]}
    live = Annotation.objects.filter(
        **on,
        kind=Annotation.Kind.CONTEXT,
        retracted_at__isnull=True,
    ).order_by("created", "id")
    for note in live:
        notes.setdefault(note.comment_id, []).append(note)
    for comment in comments:
        comment.context_notes = notes.get(comment.pk, ())
    return comments


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap``; ``capped`` says when there are more."""

    cap = QUEUE_COUNT_CAP

    @cached_property
    def _bounded_count(self):
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._bounded_count, self.cap)

    @property
    def capped(self):
        return self._bounded_count > self.cap


def queue(essay=None, reason=None, state=None, claimed_by=None, sort=None):
    """Open cases, most urgent first (see ``Case.urgency``) or, with ``sort="heat"``,
    hottest comment first (heat), filtered."""
    cases = Case.objects.select_related("comment", "essay", "claimed_by")
    # The queue is of open cases: ?state=resolved does not list the resolved ones.
    if state in Case.State.values and state != Case.State.RESOLVED:
        cases = cases.filter(state=state)
    else:
        cases = cases.exclude(state=Case.State.RESOLVED)
    if essay:
        cases = cases.filter(essay__slug=essay)
    if reason:
        cases = cases.filter(Exists(Flag.objects.filter(case=OuterRef("pk"), reason=reason)))
    if claimed_by is not None:
        cases = cases.filter(claimed_by=claimed_by)
    # What a row's quick actions depend on (moderation.pages.moderators.row_offers).
    cases = cases.annotate(
        called_in=Exists(Message.objects.filter(case=OuterRef("pk"), kind=Message.Kind.CALL_IN)),
        answer=Subquery(
            Message.objects.filter(case=OuterRef("pk"), kind__in=ANSWERS)
            .order_by("-created", "-id")
            .values("kind")[:1]
        ),
    )
    if sort == "heat":
        return cases.order_by(F("comment__heat").desc(nulls_last=True), "urgency", "id")
    return cases.order_by("urgency", "id")


def neighbours(case):
    """The open cases just before and after ``case`` in the queue's order (two queries on
    the queue's index): where ``k`` and ``j`` go from the case page."""
    others = Case.objects.exclude(state=Case.State.RESOLVED).exclude(pk=case.pk)
    earlier = Q(urgency__lt=case.urgency) | Q(urgency=case.urgency, id__lt=case.pk)
    ids = others.values_list("pk", flat=True)
    return {
        "previous_case": ids.filter(earlier).order_by("-urgency", "-id").first(),
        "next_case": ids.exclude(earlier).order_by("urgency", "id").first(),
    }


def moderation_clock():
    """The last event's id (one query on the key): every change a moderator could see in
    the queue or on a case page (a flag, a new case, a claim, an action) leaves one."""
    return ModerationEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def case_changes(case, since, limit=10):
    """What happened on ``case`` and how many cases opened after event ``since`` (two
    queries): what the open case page tells its moderator without a reload."""
    events = ModerationEvent.objects.filter(id__gt=since)
    return {
        "changes": list(
            case.events.filter(id__gt=since).select_related("actor").order_by("id")[:limit]
        ),
        "new_cases": events.filter(action="case_opened").exclude(case=case).count(),
    }


def siblings_around(comment):
    """Up to three other replies to the same comment before and after ``comment``, in
    thread order; none for a top-level comment (the earlier comments under an essay are
    not its context, and would push it below the first screen)."""
    if comment.parent_id is None:
        return [], []
    same_level = Comment.objects.filter(parent_id=comment.parent_id)
    key, value = "lft", comment.lft
    before = same_level.filter(**{f"{key}__lt": value}).order_by(f"-{key}")[:SIBLINGS_AROUND]
    after = same_level.filter(**{f"{key}__gt": value}).order_by(key)[:SIBLINGS_AROUND]
    return list(reversed(before)), list(after)


def author_filter(comment):
    """Comments by the same author: the account, or the display name within the space."""
    if comment.author_id:
        return {"author_id": comment.author_id}
    return {"author__isnull": True, "author_name": comment.author_name, "essay": comment.essay_id}


def revision_diffs(comment, messages):
    """Attach to each "revised" message the word-level changes (``threads.diffs``) from its
    old text to the text that followed."""
    revisions = list(comment.revisions.order_by("edited_at", "id"))
    following = {
        rev.pk: (revisions[i + 1].body if i + 1 < len(revisions) else comment.body)
        for i, rev in enumerate(revisions)
    }
    for message in messages:
        if message.revision_id:
            message.diff = word_diff(message.revision.body, following[message.revision_id])
    return messages


def case_page(pk):
    """Everything the case page shows, in a fixed number of queries."""
    case = get_object_or_404(
        Case.objects.select_related(
            "comment", "comment__author", "essay", "claimed_by", "opened_by", "resolved_by"
        ),
        pk=pk,
    )
    comment = case.comment
    by_author = author_filter(comment)
    before, after = siblings_around(comment)
    messages = list(case.messages.select_related("sender", "revision"))
    about_author = (
        Q(about_user=comment.author_id)
        if comment.author_id
        else Q(
            about_user__isnull=True, about_name=comment.author_name, comment__essay=comment.essay_id
        )
    )
    annotations = Annotation.objects.filter(
        Q(comment=comment) | Q(kind=Annotation.Kind.AUTHOR_NOTE) & about_author
    )
    events = list(case.events.select_related("actor").order_by("created", "id"))
    return {
        "case": case,
        "comment": comment,
        "ancestors": with_indent(list(comment.get_ancestors())),
        "siblings_before": before,
        "siblings_after": after,
        "replies": with_indent(list(comment.get_descendants()[:REPLIES_SHOWN])),
        "flags": list(case.flags.select_related("flagger").order_by("created")),
        "history": list(
            Case.objects.filter(**{f"comment__{k}": v for k, v in by_author.items()})
            .exclude(pk=case.pk)
            .select_related("comment")
            .order_by("-opened_at")[:20]
        ),
        "author_comment_count": Comment.objects.filter(**by_author).count(),
        "annotations": list(annotations.select_related("created_by").order_by("created", "id")),
        # Not "messages": that name is the flash messages' in every template.
        "conversation": revision_diffs(comment, messages),
        "events": events,
        "undo": undo_offer(events),
        "readers_see": readers_see(comment=comment, case=case),
        **author_standing(comment.author),
        "highlighted": highlight_spans(comment.body, case.watched_words),
        "saved_replies": list(SavedReply.objects.all()),
    }


def readers_see(*, comment, case):
    """What readers see of the case's comment now, and why: the case page's one line
    on visibility, read from the comment's state (never from how the case began)."""
    if comment.status == Comment.Status.PENDING:
        return "Readers do not see this comment: it waits for a moderator's approval."
    if comment.status == Comment.Status.HIDDEN:
        return "Readers see a placeholder: a moderator hid this comment."
    if comment.status == Comment.Status.WITHDRAWN:
        return "Readers see a placeholder: its author withdrew this comment."
    if not comment.visibility_paused:
        if case.auto_held:
            return "Readers see this comment: its automatic hold has ended."
        return "Readers see this comment."
    if case.auto_held:
        return (
            "Readers see a placeholder: the flags' weight reached the space's threshold "
            f"({case.essay.auto_hold_weight:g}), so it is held until a moderator decides"
            + (" or its author edits it." if comment.author_id else ".")
        )
    if not comment.author_id:
        return "Readers see a placeholder while the moderators look at it (no author account)."
    return "Readers see a placeholder while the moderators talk with its author."


def undo_offer(events):
    """What the undo button would take back ({"event", "what"}), or why the last action
    cannot be undone ("refusal").  Read from the events the page lists anyway (oldest
    first): no query of its own.
    """
    try:
        event, what = undo_target(reversed(events))
    except NothingToUndo:
        return {}
    except Refused as exc:
        return {"refusal": str(exc)}
    return {"event": event, "what": what}


def author_standing(user):
    """The author's rung on the escalation ladder and their sanctions (three queries)."""
    rung = standing(user)
    return {
        "standing": rung,
        "standing_name": RUNG_NAMES[rung],
        "next_step": NEXT_STEP.get(rung, ""),
        "sanctions": list(Sanction.objects.filter(user=user)) if user else [],
    }


def event_log(action=None, actor=None, essay=None, case=None):
    events = ModerationEvent.objects.select_related("actor", "essay", "case")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__username=actor)
    if essay:
        events = events.filter(essay__slug=essay)
    if case:
        events = events.filter(case_id=case)
    return events.order_by("-created", "-id")


def log_filter_choices():
    """The log's filters as choices (two queries): actions by what they read as, the
    people who can act (moderators, organizers, admins), the spaces by title."""
    people = (
        get_user_model()
        .objects.filter(Q(groups__name__in=("moderators", "organizers")) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
        .values_list("username", flat=True)
    )
    return {
        "action_choices": ACTION_CHOICES,
        "actor_choices": list(people),
        "space_choices": list(Essay.objects.order_by("title").values_list("slug", "title")),
    }


def inbox(user):
    """Cases about the user's own comments that have a call-in, newest first."""
    called_in = Message.objects.filter(case=OuterRef("pk"), kind=Message.Kind.CALL_IN)
    unread = Message.objects.filter(
        case=OuterRef("pk"), read_at__isnull=True, kind__in=Message.TO_AUTHOR
    )
    return (
        Case.objects.filter(comment__author=user)
        .filter(Exists(called_in))
        .annotate(has_unread=Exists(unread))
        .select_related("comment", "essay")
        .order_by("-updated_at")
    )


def notices(user, limit=20):
    return list(user.notices.all()[:limit])


def warnings_to_acknowledge(user):
    return list(
        Sanction.objects.filter(
            user=user,
            kind=Sanction.Kind.WARNING,
            acknowledged_at__isnull=True,
            lifted_at__isnull=True,
        )
    )


def inbox_case(user, pk):
    """One of the user's own conversations (404 for anyone else's)."""
    case = get_object_or_404(inbox(user).select_related("comment", "essay"), pk=pk)
    messages = list(case.messages.select_related("revision"))
    return case, messages
