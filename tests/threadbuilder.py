"""Build large comment threads quickly: bulk inserts with precomputed tree positions."""

from django.utils import timezone

from threads.kept import space_counts_refresh
from threads.models import Comment


def build_thread(essay, size, per_tree=10):
    """Add ``size`` comments to ``essay`` in new trees of about ``per_tree`` comments.

    In each tree the root has replies and its first reply has replies of its
    own, so the thread has levels 0, 1 and 2.  Returns the essay's comments in
    display order.  The nested-set positions are computed here (the caller can
    check them against ``Comment.objects.rebuild()``).
    """
    now = timezone.now()
    last_tree = Comment.objects.order_by("-tree_id").values_list("tree_id", flat=True).first()
    trees = max(1, size // per_tree)
    sizes = [size // trees + (1 if t < size % trees else 0) for t in range(trees)]

    def new(label, parent, tree_id, lft, rght, level):
        return Comment(
            essay=essay,
            parent=parent,
            author_name=f"Reader {label}",
            body=f"Comment {label}.",
            created=now,
            tree_id=tree_id,
            lft=lft,
            rght=rght,
            level=level,
        )

    shapes = []  # (tree_id, number of direct replies, number of replies to the first reply)
    for t, count in enumerate(sizes):
        nested = (count - 1) // 2 if count > 2 else 0
        shapes.append(((last_tree or 0) + t + 1, count - 1 - nested, nested))

    roots = Comment.objects.bulk_create(
        [
            new(f"{t}", None, tree_id, 1, 2 * (d + n) + 2, 0)
            for t, (tree_id, d, n) in enumerate(shapes)
        ]
    )
    direct = []
    for root, (tree_id, d, n) in zip(roots, shapes, strict=True):
        lft = 2
        for i in range(d):
            width = 2 * n + 2 if i == 0 else 2
            direct.append(new(f"{tree_id}.{i}", root, tree_id, lft, lft + width - 1, 1))
            lft += width
    direct = Comment.objects.bulk_create(direct)
    first_replies = {}
    for reply in direct:
        first_replies.setdefault(reply.tree_id, reply)
    nested = []
    for tree_id, _, n in shapes:
        for i in range(n):
            lft = 3 + 2 * i
            nested.append(new(f"{tree_id}.0.{i}", first_replies[tree_id], tree_id, lft, lft + 1, 2))
    Comment.objects.bulk_create(nested)
    space_counts_refresh(essay_id=essay.pk)  # bulk inserts send no post_save
    return list(Comment.objects.filter(essay=essay).order_by("tree_id", "lft"))
