"""django-comments-xtd, loaded with the same comments, rendering its own threaded tree.

Its XtdComment extends django_comments' Comment (multi-table inheritance, which
bulk_create refuses), so both tables are filled directly: the base rows with
bulk_create, XtdComment's own columns with one executemany.  Ids, parents,
levels and order within each thread are those of our comments.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import connection, transaction
from django.template import Context, Template
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment

from threads.models import Comment, Essay

TREE = Template("{% load comments_xtd %}{% render_xtdcomment_tree for essay %}")


def load(essay):
    """Copy ``essay``'s thread into django-comments-xtd's tables."""
    content_type = ContentType.objects.get_for_model(Essay)
    site = Site.objects.get_current()
    base, extra, root, order = [], [], None, 0
    for c in Comment.objects.filter(essay=essay).order_by("tree_id", "lft").iterator(2_000):
        if c.parent_id is None:
            root, order = c.pk, 0
        order += 1
        base.append(
            BaseComment(
                pk=c.pk,
                content_type=content_type,
                object_pk=str(essay.pk),
                site=site,
                user_id=c.author_id,
                user_name=c.author_name[:50],
                comment=c.body,
                submit_date=c.created,
                is_public=True,
                is_removed=c.status != Comment.Status.VISIBLE,
            )
        )
        nested = (c.rght - c.lft) // 2
        extra.append((c.pk, root, c.parent_id or c.pk, c.level, order, False, nested))
    table = connection.ops.quote_name(XtdComment._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in (
            "comment_ptr_id",
            "thread_id",
            "parent_id",
            "level",
            "order",
            "followup",
            "nested_count",
        )
    )
    with transaction.atomic():
        BaseComment.objects.bulk_create(base, batch_size=500)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", extra
            )
    return len(base)


def render(essay, user):
    """The whole tree as django-comments-xtd renders it (its query, tree and templates)."""
    return TREE.render(Context({"essay": essay, "user": user}))
