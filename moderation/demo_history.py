"""Weeks of past moderation for the demo (``seed_demo``), so that the transparency page,
the dashboard's "does calling in work?" panel and ``moderation_effects`` show something
on the first run.

Every step goes through the same workflow functions as the site, each at its moment in
the past (``timezone.now`` set for the step), so the log, its hash chain, the cases and
the notices are what those actions would have left.  The people of this history are
demo-only accounts that cannot sign in (no password).  Runs once: the second moderator
"sam" marks that it ran.
"""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from threads.models import Comment, Essay
from threads.posting import insert_comment

from . import workflow
from .models import Annotation, Case, Nudge, Sanction
from .workflow.appeals import appeal_decide, appeal_open

SECOND_MODERATOR = "sam"
FLAGGERS = ("mira", "noah", "omar")
SPACE = "calling-in"
OTHER_SPACE = "leftist-empathy-gap"

HEATED = {
    "cora": "Anyone who buys this argument hasn't read a single book on the subject.",
    "dev": "This is the dumbest take in the whole thread, and you know it.",
    "eli": "Crime has doubled in every city that tried this; everyone knows that.",
    "fern": "Great post! Cheap watches and bags at my shop, link in my profile.",
    "gil": "People like you are why this country is falling apart.",
    "hana": "Typical. You never argue, you just sneer at whoever disagrees.",
    "ivo": "Spare me the lecture; you obviously never met a real worker.",
    "jun": "You deserve every bit of the hate you get, honestly.",
    "kit": "Oh please, this is the usual smug nonsense from your side.",
    "lea": "Stop pretending to care. Nobody here believes you.",
}
AGAIN = {
    "dev": "Still the dumbest thread on this site, and you are all proud of it.",
    "fern": "Best prices on watches, visit my shop today!",
    "ivo": "Again with the lectures. Do you ever listen?",
}
REVISED = {
    "cora": "I read this argument differently; the books I know point the other way.",
    "ivo": "I think the piece misses how work actually feels for many people.",
    "kit": "I disagree with this; I think it leaves out the other side's reasons.",
}


@contextmanager
def at_moment(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def history_add(*, moderator, stdout=None):
    """Add the demo's past once (weeks of cases, call-ins, hides, appeals, nudges)."""
    User = get_user_model()
    if User.objects.filter(username=SECOND_MODERATOR).exists():
        return False
    with transaction.atomic():
        _History(moderator).run()
    if stdout is not None:
        stdout.write("Added eight weeks of past moderation (cases, call-ins, appeals, nudges).")
    return True


class _History:
    def __init__(self, moderator):
        self.now = timezone.now()
        self.moderator = moderator
        self.sam = self._person(SECOND_MODERATOR, "moderators")
        self.flaggers = [self._person(name) for name in FLAGGERS]
        self.people = {name: self._person(name) for name in HEATED}
        self.space = Essay.objects.get(slug=SPACE)
        self.other = Essay.objects.get(slug=OTHER_SPACE)
        self.count = 0

    def _person(self, username, group=None):
        user = get_user_model()(username=username)
        user.set_unusable_password()
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    def ago(self, days, hours=0):
        return self.now - timedelta(days=days, hours=hours)

    def comment(self, name, body, days, essay=None):
        self.count += 1
        author = self.people[name]
        with at_moment(self.ago(days)):
            comment = Comment(
                essay=essay or self.space,
                author=author,
                author_name=name,
                body=body,
                created=timezone.now(),
                import_key=f"demo-history-{self.count}",
            )
            return insert_comment(comment, None)

    def flag(self, comment, days, reason="heated", flagger=0, hours=0):
        with at_moment(self.ago(days, hours)):
            return workflow.flag_comment(self.flaggers[flagger], comment, reason)[1]

    def act(self, days, hours, action, *args, **kwargs):
        with at_moment(self.ago(days, hours)):
            return action(*args, **kwargs)

    def fresh(self, case):
        return Case.objects.get(pk=case.pk)

    def called_in(self, name, days, then, body=None, essay=None, reason="heated"):
        """A call-in a few hours after the flag; ``then`` the author's answer or silence."""
        comment = self.comment(name, HEATED[name] if body is None else body, days + 1, essay)
        case = self.flag(comment, days, reason)
        mod = self.moderator
        delay = -(1 + self.count % 5)  # one to five hours after the flag
        self.act(days, delay, workflow.call_in, mod, case, "Hello, would you reread your comment?")
        author = self.people[name]
        if then == "revise":
            text = REVISED[name]
            self.act(days, -9, workflow.author_revise, author, self.fresh(case), text)
            outcome = Case.Outcome.REVISED
        elif then == "withdraw":
            self.act(days, -20, workflow.author_withdraw, author, self.fresh(case))
            outcome = Case.Outcome.WITHDRAWN
        else:
            with at_moment(self.ago(days - 4)):
                workflow.tick()
            return case
        self.act(days - 1, 0, workflow.resolve, mod, self.fresh(case), outcome)
        return case

    def run(self):
        mod, space = self.moderator, self.space
        # Called in, revised; a cool-down on the exchange meanwhile.
        case = self.called_in("cora", 53, "revise")
        self.act(53, -1, workflow.pause_replies, mod, case.comment, timedelta(hours=2), case=case)
        # Called in, no answer, then hidden; flagged again nine days later.
        case = self.called_in("dev", 50, "none")
        reason = "An insult, and no answer to our message."
        self.act(46, 0, workflow.resolve, mod, self.fresh(case), "hidden", reason, "other")
        again = self.flag(self.comment("dev", AGAIN["dev"], 38), 37)
        self.act(37, -3, workflow.resolve, mod, again, Case.Outcome.NO_ACTION)
        # A context note on a claim; no call-in needed.
        case = self.flag(self.comment("eli", HEATED["eli"], 49), 48, "misinformation", 1)
        note = "Figures for these cities differ widely; see the sources under the essay."
        self.act(48, -1, workflow.annotate, mod, case.comment, Annotation.Kind.CONTEXT, note, case)
        self.act(48, -1, workflow.resolve, mod, self.fresh(case), Case.Outcome.ANNOTATED)
        # Spam, hidden at once; more spam two days later.
        for days, text in ((47, HEATED["fern"]), (45, AGAIN["fern"])):
            case = self.flag(self.comment("fern", text, days), days, "spam", 2)
            self.act(days, -1, workflow.resolve, mod, case, Case.Outcome.HIDDEN, "", "spam")
        # Called in, withdrawn.
        self.called_in("gil", 44, "withdraw", essay=self.other)
        # Called in, no answer, hidden; the author appeals and sam overturns it.
        case = self.called_in("hana", 42, "none", essay=self.other)
        reason = "It mocks a person, and we had no answer."
        self.act(38, 0, workflow.resolve, mod, self.fresh(case), "hidden", reason, "other")
        body = "I was describing a pattern in the thread, not one person. Please read it again."
        appeal = self.act(
            37,
            0,
            appeal_open,
            user=self.people["hana"],
            kind="hidden",
            comment=case.comment,
            body=body,
        )
        why = "Read with the replies above it, it criticises a way of arguing, not a person."
        self.act(
            36, 0, appeal_decide, actor=self.sam, appeal=appeal, outcome="overturned", reason=why
        )
        # Called in and revised; flagged again later, revised again.
        self.called_in("ivo", 40, "revise")
        self.called_in("ivo", 31, "revise", body=AGAIN["ivo"])
        # An attack hidden at once; the appeal is upheld by sam.
        case = self.flag(self.comment("jun", HEATED["jun"], 36), 35, "harmful", 1)
        self.act(35, -1, workflow.resolve, mod, case, Case.Outcome.HIDDEN, "", "harmful")
        appeal = self.act(
            34,
            0,
            appeal_open,
            user=self.people["jun"],
            kind="hidden",
            comment=case.comment,
            body="It was a joke between us.",
        )
        self.act(
            33,
            0,
            appeal_decide,
            actor=self.sam,
            appeal=appeal,
            outcome="upheld",
            reason="It wishes harm on a reader; that is not a joke here.",
        )
        # Recent weeks: a revision, a flag that needed nothing, a warning under appeal.
        self.called_in("kit", 18, "revise")
        calm = Comment.objects.filter(essay=space, author__isnull=True).order_by("pk").first()
        case = self.flag(calm, 15, "off_topic", 2)
        self.act(15, -4, workflow.resolve, mod, case, Case.Outcome.NO_ACTION)
        case = self.called_in("lea", 13, "none")
        warning = self.act(
            8,
            0,
            workflow.sanction,
            mod,
            self.fresh(case),
            Sanction.Kind.WARNING,
            "Telling others they are lying, after our message.",
        )
        self.act(8, 0, workflow.resolve, mod, self.fresh(case), Case.Outcome.NO_ACTION)
        body = "I did not call anyone a liar; I said I doubt the numbers."
        self.act(
            6,
            0,
            appeal_open,
            user=self.people["lea"],
            kind="warning",
            sanction_item=warning,
            body=body,
        )
        self.nudges()

    def nudges(self):
        """Pre-posting nudges and what followed (rows as ``moderation.nudges`` writes them)."""
        plan = [  # (days ago, reader, result, posted text or None, flagged later)
            (27, "cora", Nudge.Result.EDITED, "I see it differently, and here is why.", False),
            (24, "kit", Nudge.Result.EDITED, "I think this misses a point.", False),
            (21, "dev", Nudge.Result.POSTED_ANYWAY, AGAIN["dev"] + " Again.", True),
            (16, "gil", Nudge.Result.EDITED, "I disagree, strongly, but I hear you.", False),
            (12, "jun", Nudge.Result.POSTED_ANYWAY, "Whatever. You heard me.", False),
            (9, "hana", Nudge.Result.SHOWN, None, False),
            (4, "eli", Nudge.Result.EDITED, "I may be wrong on the numbers.", False),
        ]
        for days, name, result, text, flagged in plan:
            Nudge.objects.create(
                essay=self.space,
                user=self.people[name],
                heat=0.82,
                result=result,
                created=self.ago(days),
            )
            if text:
                comment = self.comment(name, text, days)
                if flagged:
                    case = self.flag(comment, days - 1, "heated", 1)
                    self.act(days - 1, -2, workflow.resolve, self.moderator, case, "no_action")
