"""A site export (``sites.site_records``) into spaces: one essay and its comments per space.

Exports list records in their own order (a Disqus post may come long after its
thread, interleaved with other threads' posts), while the bulk loader writes a
space's comments parents first, with its reply map known before it starts.
So the file is read once, every record is written to a spool file on disk,
and only each post's id, parent, status and place in the spool stay in memory.
Every record is parsed before anything is written: a bad record stops the
import with nothing written.  Then each space is written in its own
transaction through ``loading.BulkLoader``; a space is found again on a later
run by its link (a callin export: by its slug), and a comment by its import
key (the source's id), so a second run adds only what is new.

With heat scoring on, worker processes read the posts' HTML and score them
while the file is read (such a post goes to the spool with its text and heat)
and, those the workers had no time for, while the spaces are written
(``site_scoring``), so parsing, scoring and writing share the cores.

Posts that are not wanted (spam, deleted, trash, pingbacks) are left out,
unless a kept reply needs one as its parent: then it is written hidden.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from ..models import Comment, Essay
from ..scoring import heat_scoring_on, scoring_workers
from .loading import BulkLoader, JSONText, batched
from .parsing import ImportFailed, ParsedComment, default_slug
from .site_scoring import SiteScoring
from .sites import HIDDEN, UNWANTED, SitePost, SiteSpace, post_text, site_records, text_fits
from .spool import Spool

# The fields of a space a callin export carries, set when the space is created.
SCORED_TOGETHER = 1000  # posts a worker scores at once
SPACE_FIELDS = (
    "subtitle", "guidelines", "discussion", "featured", "slow_mode_seconds", "call_in_hours",
    "auto_hold_weight", "premoderate_first", "heat_threshold",
)  # fmt: skip


@dataclass
class SpacePlan:
    place: int  # where the SiteSpace is in the spool
    keys: list = field(default_factory=list)  # its posts, in file order
    parents: list = field(default_factory=list)
    statuses: bytearray = field(default_factory=bytearray)  # 1: not wanted
    places: list = field(default_factory=list)  # each post's place in the spool
    scored: bytearray = field(default_factory=bytearray)  # 1: spooled with its text and heat


@dataclass
class SpaceResult:
    title: str
    slug: str
    created: int
    existing: int
    new_space: bool
    pending: list  # pks of the comments written waiting for a moderator


class SiteImport:
    """Reads a site export into a spool (``read``), then writes its spaces (``write``)."""

    def __init__(self, path, progress=None):
        self.path, self.progress = path, progress
        self.name = path.name if hasattr(path, "name") else str(path)
        self.spool = Spool()
        self.spaces = {}
        self.warnings = []
        self.kind = None
        self.posts = 0
        self.scoring = None

    def read(self):
        """Parse the file into the spool; with heat scoring on, workers turn the posts' HTML
        into text and score them meanwhile, batch by batch while they can keep up (the
        posts that are not wanted wait: only some are written).  The rest are finished as
        their spaces are written (``site_scoring``)."""
        self.kind, records = site_records(self.path)
        batches = batched(self._planned(records), SCORED_TOGETHER)
        if heat_scoring_on():
            self.scoring = SiteScoring(
                scoring_workers(), self.spool.path, self.name, SCORED_TOGETHER
            )
            done = self.scoring.while_reading(batches, posts_of=_as_read)
        else:
            done = ((batch, None) for batch in batches)
        for batch, found in done:
            texts, scores = found if found is not None else (None, None)
            scores = iter(scores) if scores is not None else None
            for at, (plan, j, post) in enumerate(batch):
                if post.html is not None and texts is not None:
                    post.with_text(texts[at])  # read by a worker
                elif post.html is not None and (not self.scoring or not text_fits(post.html)):
                    post.with_text(post_text(post.html, self.name))  # else read as written
                if post.status == UNWANTED:
                    plan.statuses[j] = 1
                elif scores is not None and post.body:
                    post.heat, post.heat_signals = next(scores)
                    plan.scored[j] = 1
                plan.places[j] = self.spool.add(post)
        self.spool.finish()  # workers read the bodies still to score from the file
        return self

    def _planned(self, records):
        """(plan, index in its plan, post) for each post, in file order; spaces go straight
        to the spool."""
        name = self.name
        seen = set()  # post keys so far: a key twice would be one comment written twice
        for record in records:
            if isinstance(record, SiteSpace):
                if record.key in self.spaces:
                    raise ImportFailed(f"{name}: post {record.key} appears twice")
                self.spaces[record.key] = SpacePlan(self.spool.add(record))
                continue
            plan = self.spaces.get(record.space)
            if plan is None:
                raise ImportFailed(f"{name}: post {record.key}: no space {record.space} before it")
            if record.key in seen:
                raise ImportFailed(f"{name}: post {record.key} appears twice")
            seen.add(record.key)
            plan.keys.append(record.key)
            plan.parents.append(record.parent)
            plan.statuses.append(0)  # set once its text is read
            plan.places.append(-1)
            plan.scored.append(0)
            self.posts += 1
            yield plan, len(plan.keys) - 1, record
        seen.clear()

    def write(self, *, now=None, reserved_slugs=(), on_space=None):
        """Write each space that has a comment to show; yields a SpaceResult per space.

        ``on_space(essay, result)`` runs inside the space's transaction (the caller's
        audit event, cases for the pending comments).
        """
        now = now or timezone.now()
        done = 0
        spaces = self._ordered()
        if self.scoring:
            spaces = self.scoring.while_writing(spaces, unfinished=_unfinished)
        else:
            spaces = ((space, {}) for space in spaces)
        for (plan, order, parent_of), finished in spaces:
            if isinstance(order, ImportFailed):
                raise order
            emptied = [j for j, (text, _) in finished.items() if text == ""]
            if emptied:  # HTML with no text in it: not wanted after all
                for j in emptied:
                    plan.statuses[j] = 1
                order = _kept(plan, order, parent_of)
                if not order:
                    continue
            space = self.spool.get(plan.place)
            with transaction.atomic():
                essay, new_space = self._essay(space, reserved_slugs)
                replies = {
                    at: order.index_of[parent_of[j]]
                    for at, j in enumerate(order, start=1)
                    if parent_of[j] is not None
                }
                loader = BulkLoader(essay, replies, now=now, score=False)
                created, existing = loader.load(self._comments(plan, order, now, finished))
                pending = list(
                    Comment.objects.filter(
                        essay=essay, status=Comment.Status.PENDING, imported=True, created=now
                    ).values_list("pk", flat=True)
                )
                result = SpaceResult(essay.title, essay.slug, created, existing, new_space, pending)
                if on_space:
                    on_space(essay, result)
            done += len(order)
            if self.progress:
                self.progress(done, self.posts)
            yield result

    def _ordered(self):
        """(plan, order, parent_of) of each space with a post to write (see ``_order``).

        Scoring looks a few spaces ahead of the writer: a space whose replies form a
        loop comes with its ImportFailed as its order, raised when the writer gets
        to it (the spaces before it are written, as they would be without scoring)."""
        for key, plan in self.spaces.items():
            try:
                order, parent_of = self._order(key, plan)
            except ImportFailed as failed:
                yield plan, failed, None
                return
            if order:
                yield plan, order, parent_of

    def _order(self, key, plan):
        """The kept posts' indexes, parents before replies; and each one's kept parent."""
        index = {k: i for i, k in enumerate(plan.keys)}
        parent_of = []
        for i, parent in enumerate(plan.parents):
            if parent is not None and parent not in index:
                self.warnings.append(
                    f"{plan.keys[i]} replies to {parent}, which is not in the file: "
                    "shown as a top-level comment"
                )
            parent_of.append(index.get(parent))
        placed, order = bytearray(len(plan.keys)), []
        for i in range(len(plan.keys)):
            chain, walking, j = [], set(), i
            while j is not None and not placed[j]:
                if j in walking:
                    raise ImportFailed(f"{plan.keys[i]}: its replies form a loop")
                walking.add(j)
                chain.append(j)
                j = parent_of[j]
            for j in reversed(chain):
                placed[j] = 1
                order.append(j)
        return _kept(plan, order, parent_of), parent_of

    def _comments(self, plan, order, now, finished):
        for position, j in enumerate(order, start=1):
            post: SitePost = self.spool.get(plan.places[j])
            if j in finished:
                text, (post.heat, post.heat_signals) = finished[j]
                if text is not None:
                    post.with_text(text)
            columns = {"status": HIDDEN if post.status == UNWANTED else post.status}
            if post.heat is not None:
                columns["heat"], columns["heat_signals"] = post.heat, JSONText(post.heat_signals)
            extra = post.extra
            if extra:
                columns["kind"] = extra["kind"]
                columns["featured_at"] = now if extra["featured"] else None
                columns["written_on"] = parse_date(extra["written_on"] or "") or None
            yield ParsedComment(
                position=position,
                line=0,
                body=post.body,
                author_name=post.author_name,
                source_date=post.source_date,
                edited=bool(extra and extra["edited"]),
                key=post.key,
                columns=columns,
            )

    def _essay(self, space, reserved_slugs):
        """The space's essay, found by its link (a callin export: its slug), or created."""
        found = (
            Essay.objects.filter(slug=space.slug).first()
            if space.slug
            else Essay.objects.filter(source=space.link[:300]).order_by("pk").first()
        )
        if found:
            return found, False
        slug = base = space.slug or default_slug(space.title)
        number = 1
        while slug in reserved_slugs or Essay.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base[:110]}-{number}"
        settings = {f: space.settings[f] for f in SPACE_FIELDS if f in space.settings}
        essay = Essay(
            slug=slug,
            title=space.title,
            author_name=space.author_name[:200],
            blocks=space.blocks,
            source=space.link[:300] if not space.slug else space.settings.get("source", ""),
            **settings,
        )
        try:
            # Every CHECK constraint of Essay is also its field's validator (threads.bounds):
            # checking both ran six queries a space for no new message.
            essay.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problem = "; ".join(f"{k}: {v[0]}" for k, v in exc.message_dict.items())
            raise ImportFailed(f"{space.key}: {problem}") from None
        essay.save()
        return essay, True

    def close(self):
        if self.scoring:
            self.scoring.close()
        self.spool.close()


def _as_read(batch):
    """What ``site_scoring.texts_and_heat`` needs of a batch's posts."""
    return [(post.html, post.body, post.status != UNWANTED) for _, _, post in batch]


def _kept(plan, order, parent_of):
    """The posts of ``order`` to write: those wanted, and those a reply to write needs."""
    needed = bytearray(len(plan.keys))
    for j in reversed(order):
        if not plan.statuses[j] or needed[j]:
            needed[j] = 1
            if parent_of[j] is not None:
                needed[parent_of[j]] = 1
    return Order(j for j in order if needed[j])


def _unfinished(space):
    """(index, place in the spool) of a space's posts to write with no text or heat yet."""
    plan, order, _ = space
    if isinstance(order, ImportFailed):
        return []
    return [(j, plan.places[j]) for j in order if not plan.scored[j]]


class Order(list):
    """Kept post indexes in write order, with each one's 1-based position."""

    def __init__(self, items):
        super().__init__(items)
        self.index_of = {j: at for at, j in enumerate(self, start=1)}


def site_summary(results):
    """One line for a finished import."""
    created = sum(r.created for r in results)
    existing = sum(r.existing for r in results)
    spaces = sum(r.new_space for r in results)
    pending = sum(len(r.pending) for r in results)
    line = (
        f"Created {created} comments in {len(results)} spaces ({spaces} new); "
        f"{existing} were already there"
    )
    return line + (f"; {pending} wait for a moderator." if pending else ".")
