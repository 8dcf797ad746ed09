"""Template context for every page: the signed-in user's unread notifications.

Every signed-in page's header reads the unread count and the user's permissions (the
moderators' and organizers' links).  Built by the ORM they cost more CPU than the rest
of a cached thread page, so both come from one hand-written query, its text made once
per process; the permissions it reads are exactly ``ModelBackend``'s and are kept on the
user for the rest of the request, as ``ModelBackend`` keeps them.  On PostgreSQL it is a
prepared statement (see ``header_cursor``).
"""

from functools import cache

import psycopg
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

from threads.models import Comment

from .models import Case, Message, Notice

# Messages count only on cases the inbox shows (those with a call-in), so the number
# always leads somewhere the user can read; notices count until seen.
UNREAD = """SELECT COUNT(*) FROM (
  SELECT m.id FROM {message} m
    INNER JOIN {case} c ON m.case_id = c.id
    INNER JOIN {comment} cm ON c.comment_id = cm.id
  WHERE cm.author_id = %s AND m.kind IN ({to_author}) AND m.read_at IS NULL
    AND EXISTS (SELECT 1 FROM {message} ci WHERE ci.case_id = m.case_id AND ci.kind = %s)
  UNION ALL
  SELECT n.id FROM {notice} n WHERE n.user_id = %s AND n.seen_at IS NULL
) unread"""
# ModelBackend's permissions of an active user who is not a superuser: their own and
# their groups'; one row each, after the count's row (app label, codename, NULL).
PERMISSIONS = """SELECT ct.app_label, p.codename, NULL FROM {permission} p
  INNER JOIN {content_type} ct ON p.content_type_id = ct.id
  WHERE p.id IN (SELECT up.permission_id FROM {user_permissions} up WHERE up.user_id = %s)
    OR p.id IN (SELECT gp.permission_id FROM {group_permissions} gp
      INNER JOIN {user_groups} ug ON gp.group_id = ug.group_id WHERE ug.user_id = %s)"""


@cache
def statements():
    """(the count's SQL, the count's and the permissions' SQL), with this database's names."""
    user_model = get_user_model()
    tables = {
        "message": Message,
        "case": Case,
        "comment": Comment,
        "notice": Notice,
        "permission": Permission,
        "content_type": ContentType,
        "user_permissions": user_model.user_permissions.through,
        "group_permissions": Group.permissions.through,
        "user_groups": user_model.groups.through,
    }
    names = {key: connection.ops.quote_name(model._meta.db_table) for key, model in tables.items()}
    names["to_author"] = ", ".join(["%s"] * len(Message.TO_AUTHOR))
    count = UNREAD.format(**names)
    both = f"SELECT NULL, NULL, ({count}) UNION ALL {PERMISSIONS.format(**names)}"
    return count, both


class LoggedPreparedCursor(CursorDebugWrapper):
    """Logs a prepared statement's text with its parameters, as Django logs any other
    (it reads the text from the cursor, which a prepared statement leaves without one)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def header_cursor():
    """A cursor for the header's query.  On PostgreSQL with prepared statements on
    (``prepare_threshold`` in the settings), one that binds its parameters on the server,
    so the statement is prepared once per connection: planning it cost the server about
    ten times what running it does, most of a signed-in page's database time.  Django's
    own cursors bind on the client and are never prepared.  Elsewhere, the usual cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:  # (off: see config.settings)
        return connection.cursor()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    if connection.queries_logged:  # counted and logged like any other query
        return LoggedPreparedCursor(raw, connection)
    return connection.make_cursor(raw)


def count_params(user):
    return [user.pk, *Message.TO_AUTHOR, Message.Kind.CALL_IN, user.pk]


def unread_count(user):
    """Unread moderator messages about the user's comments plus unseen notices: one query."""
    with header_cursor() as cursor:
        cursor.execute(statements()[0], count_params(user))
        return cursor.fetchone()[0]


def unread_count_and_permissions(user):
    """The unread count, with the user's permissions read in the same query when they are
    still to be read (kept on the user as ``ModelBackend`` keeps them)."""
    if hasattr(user, "_perm_cache") or not user.is_active or user.is_superuser:
        return unread_count(user)
    with header_cursor() as cursor:
        cursor.execute(statements()[1], [*count_params(user), user.pk, user.pk])
        rows = cursor.fetchall()
    (_, _, count), *permissions = rows
    user._perm_cache = {f"{app_label}.{codename}" for app_label, codename, _ in permissions}
    return count


def notifications(request):
    """``unread_notifications``: counted only when a template reads it, and only when signed in."""

    @cache
    def unread_notifications():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count_and_permissions(user)

    return {"unread_notifications": unread_notifications}
