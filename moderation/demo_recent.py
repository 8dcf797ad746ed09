"""The demo's last four weeks and its present (``seed_demo``), so that the queue, the case
pages, the log and the dashboard show real work the first time someone opens them.

``demo_history`` replays the weeks before; this adds, once, a case resolved every day or
two over the dashboard's 30 days (each outcome: no action, context, spam hidden, revised,
withdrawn, de-escalated with a fold and a bridging note, no answer then hidden), and a
queue with a case in every state: flagged and waiting for a moderator (replies paused
meanwhile), held back by the flags' weight and claimed by the second moderator "sam" with
a note, a call-in waiting for its author, one answered in words, one answered with a
revision, one whose time ran out, a watched word that flagged and one that held, and a
newcomer's comment waiting for approval.

It runs after the demo's watched words and space settings (the comments of the present
go through ``comment_submit``, the reader's one path), never touches ben's thread (the
README's walkthrough flags his reply), and, like ``demo_history``, every step is the
site's own workflow function at its moment, by accounts that cannot sign in.  Its
comments' import keys mark that it ran.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from threads.models import Comment, Essay
from threads.posting import insert_comment
from threads.scoring import comment_heat_set

from . import workflow
from .demo_history import FLAGGERS, OTHER_SPACE, SECOND_MODERATOR, SPACE, at_moment
from .models import Annotation, Case
from .submissions import comment_submit

MARK = "demo-recent-"
CALL_IN = "Hello, a quick private note from the moderators: would you reread your comment?"

# (days ago, author, text, flag reason, flagger, what followed); "revise" and "reply" take
# the author's words from ANSWERS.  In "calling-in" unless the author is in ELSEWHERE.
RECENT = [
    (
        27,
        "abe",
        "Wow, another essay telling us to be nice to people who hate us.",
        "heated",
        1,
        "no_action",
    ),
    (25, "bea", "Buy followers cheap, 10k for $5, message me.", "spam", 1, "spam"),
    (23, "cal", "The study you cite was retracted last year.", "misinformation", 2, "context"),
    (20, "dot", "You sound like every smug activist I have ever met.", "heated", 1, "revise"),
    (17, "edd", "Go back to your echo chamber, nobody wants you here.", "harmful", 2, "withdraw"),
    (11, "gus", "Nobody with a brain believes this.", "heated", 1, "revise"),
    (
        9,
        "ida",
        "Free crypto giveaway for every reader, click the link in my name!",
        "spam",
        2,
        "spam",
    ),
    (7, "joy", "People like you ruin every movement you touch.", "heated", 1, "unanswered"),
    (
        5,
        "kai",
        "That is not what the essay says at all; read its third part.",
        "off_topic",
        2,
        "no_action",
    ),
    (3, "lou", "Honestly this is naive.", "heated", 1, "revise"),
    (2, "max", "The survey had 40 people in it, not 4,000.", "needs_context", 2, "context"),
    (
        1,
        "flo",
        "This thread is a dumpster fire and you are all pouring fuel on it.",
        "heated",
        2,
        "deescalate",
    ),
]
ELSEWHERE = {"abe", "edd", "kai"}
ANSWERS = {
    "dot": "I have met activists who argued like this, and it put me off; that is my point.",
    "gus": "I do not find this convincing: the examples all come from one city.",
    "lou": "I think this is a little optimistic, but I like where it wants to go.",
    "uma": "I think the essay skips over how tired people are; that is what bothers me.",
    "teo": "Fair. I was angry about the closures in my town. I can say it better than that.",
}
CONTEXT = {
    "cal": "The study was corrected, not retracted; the correction is linked under the essay.",
    "max": "The survey asked 4,012 people; the 40 were its pilot. Both are in the appendix.",
}
BRIDGE = (
    "A pause here: this exchange got hot. The question underneath it, how to disagree "
    "inside a movement, is a good one; the replies are folded for a day."
)
# The present: (author, text, hours ago, reply to the seed comment that starts with this).
PRESENT = {
    "pia": ("You clearly did not read the essay. Typical.", 5, "Oh, my, wow"),
    "quin": (
        "Anyone who thinks like this should be kept out of organizing.",
        9,
        "Thank you for writing this.",
    ),
    "rosa": ("What a self-congratulating piece of nonsense.", 8, "Phew commenting"),
    "teo": ("This is why nobody takes the left seriously anymore.", 48, None),
    "uma": ("Spare me. Some of us actually do the work.", 72, "When the children"),
    "vic": ("You people will say anything to feel righteous.", 120, None),
}
SUBMITTED = {  # through comment_submit: the watched words and pre-moderation decide
    "wes": ("Only a snowflake would need a moderator to feel safe here.", 2, SPACE),
    "xan": ("You are all brainwashed by the same three podcasts.", 3, SPACE),
    "yan": (
        "I am new here. I grew up near Jenin, and I would add one thing about the checkpoints.",
        4,
        OTHER_SPACE,
    ),
}


NEW_FLAGGERS = ("ola", "pat")


def recent_add(*, moderator, stdout=None):
    """Add the last weeks and the present once (after ``demo_history``)."""
    if Comment.objects.filter(import_key__startswith=MARK).exists():
        return False
    with transaction.atomic():
        _Recent(moderator).run()
    if stdout is not None:
        stdout.write("Added the last four weeks of moderation and a queue of open cases.")
    return True


class _Recent:
    def __init__(self, moderator):
        User = get_user_model()
        self.now = timezone.now()
        self.moderator = moderator
        self.sam = User.objects.get(username=SECOND_MODERATOR)
        self.flaggers = [User.objects.get(username=name) for name in FLAGGERS]
        self.space = Essay.objects.get(slug=SPACE)
        self.other = Essay.objects.get(slug=OTHER_SPACE)
        self.count = 0

    def person(self, username):
        user = get_user_model()(username=username)
        user.set_unusable_password()
        user.save()
        return user

    def ago(self, hours):
        return self.now - timedelta(hours=hours)

    def act(self, hours, action, *args, **kwargs):
        with at_moment(self.ago(hours)):
            return action(*args, **kwargs)

    def comment(self, author, body, hours, essay=None, parent=None):
        self.count += 1
        with at_moment(self.ago(hours)):
            comment = Comment(
                essay=essay or self.space,
                author=author,
                author_name=author.username,
                body=body,
                created=timezone.now(),
                import_key=f"{MARK}{self.count}",
            )
            comment_heat_set(comment)
            return insert_comment(comment, parent)

    def seed_comment(self, start):
        return Comment.objects.get(essay=self.space, parent=None, body__startswith=start)

    def flag(self, comment, hours, reason, flagger):
        """``flagger``: an index into ``FLAGGERS`` (weights grown by their history), or a
        new reader (weight 1, so one flag alone does not reach the auto-hold weight)."""
        if isinstance(flagger, int):
            flagger = self.flaggers[flagger]
        return self.act(hours, workflow.flag_comment, flagger, comment, reason)[1]

    def fresh(self, case):
        return Case.objects.get(pk=case.pk)

    def run(self):
        for days, name, text, reason, flagger, then in RECENT:
            self.recent(days * 24, name, text, reason, flagger, then)
        self.present()

    def recent(self, hours, name, text, reason, flagger, then):
        mod, author = self.moderator, self.person(name)
        essay = self.other if name in ELSEWHERE else self.space
        comment = self.comment(author, text, hours + 2, essay)
        case = self.flag(comment, hours, reason, flagger)
        step = hours - 1 - (self.count * 7) % 11  # the first action, 1 to 11 hours after
        resolve = workflow.resolve
        if then == "no_action":
            self.act(step, resolve, mod, case, Case.Outcome.NO_ACTION)
        elif then == "spam":
            self.act(step, resolve, mod, case, Case.Outcome.HIDDEN, "", "spam")
        elif then == "context":
            kind = Annotation.Kind.CONTEXT
            self.act(step, workflow.annotate, mod, comment, kind, CONTEXT[name], case)
            self.act(step, resolve, mod, self.fresh(case), Case.Outcome.ANNOTATED)
        elif then == "deescalate":
            self.comment(self.person("amos"), "Says the one lighting it.", hours, parent=comment)
            self.act(step, workflow.collapse, mod, comment, timedelta(hours=36), case)
            self.act(step, workflow.add_bridging_note, mod, comment, BRIDGE, case)
            self.act(step, resolve, mod, self.fresh(case), Case.Outcome.DEESCALATED)
        else:  # a call-in first
            self.act(step, workflow.call_in, mod, case, CALL_IN)
            if then == "revise":
                self.act(step - 6, workflow.author_revise, author, self.fresh(case), ANSWERS[name])
                self.act(step - 10, resolve, mod, self.fresh(case), Case.Outcome.REVISED)
            elif then == "withdraw":
                self.act(step - 5, workflow.author_withdraw, author, self.fresh(case))
                self.act(step - 8, resolve, mod, self.fresh(case), Case.Outcome.WITHDRAWN)
            else:  # unanswered: the tick returns it, then it is hidden
                self.act(step - 73, workflow.tick)
                why = "It attacks a person, and we had no answer to our message."
                args = (mod, self.fresh(case), Case.Outcome.HIDDEN, why, "other")
                self.act(step - 75, resolve, *args)

    def present(self):
        mod, sam = self.moderator, self.sam
        people = {name: self.person(name) for name in [*PRESENT, *SUBMITTED, *NEW_FLAGGERS]}
        ola, pat = (people[name] for name in NEW_FLAGGERS)
        made = {}
        for name, (text, hours, parent) in PRESENT.items():
            under = self.seed_comment(parent) if parent else None
            made[name] = self.comment(people[name], text, hours, parent=under)
        # Flagged and waiting for a moderator; replies paused under it meanwhile.
        case = self.flag(made["pia"], 4, "heated", ola)
        self.act(2, workflow.pause_replies, mod, made["pia"], timedelta(hours=6), case=case)
        # Held back by its flag's weight (a flagger often agreed with); sam took it, with a note.
        case = self.flag(made["quin"], 8, "harmful", 0)
        self.act(1, workflow.claim, sam, self.fresh(case))
        note = "Looking at the whole subthread before deciding; the parent was heated too."
        kind = Annotation.Kind.COMMENT_NOTE
        self.act(1, workflow.annotate, sam, made["quin"], kind, note, self.fresh(case))
        # A call-in waiting for its author.
        case = self.flag(made["rosa"], 7, "heated", pat)
        self.act(5, workflow.call_in, mod, case, CALL_IN)
        # Answered in words, and answered with a revision.
        for name, flagged, called, answered in (("teo", 46, 40, 6), ("uma", 70, 60, 20)):
            case = self.flag(made[name], flagged, "heated", ola if name == "teo" else pat)
            self.act(called, workflow.call_in, mod, case, CALL_IN)
            answer = workflow.author_reply if name == "teo" else workflow.author_revise
            self.act(answered, answer, people[name], self.fresh(case), ANSWERS[name])
        # A call-in whose time ran out: back in the queue, marked "no answer".
        case = self.flag(made["vic"], 118, "heated", ola)
        self.act(110, workflow.call_in, mod, case, CALL_IN)
        self.act(20, workflow.tick)
        # A watched word that flags, one that holds, and a newcomer's first comment.
        for name, (text, hours, slug) in SUBMITTED.items():
            essay = self.space if slug == SPACE else self.other
            self.act(hours, comment_submit, user=people[name], essay=essay, body=text)
