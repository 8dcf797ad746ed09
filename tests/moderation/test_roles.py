"""The roles created by migration 0002: moderators and organizers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def reloaded(user):
    # has_perm caches the permissions on the instance; read the user afresh.
    return get_user_model().objects.get(pk=user.pk)


def test_the_migration_creates_both_groups():
    assert set(
        Group.objects.filter(name__in=["moderators", "organizers"]).values_list("name", flat=True)
    ) == {
        "moderators",
        "organizers",
    }


def test_moderators_may_moderate_and_open_cases():
    granted = perms("moderators")
    assert {"moderation.moderate_case", "moderation.open_case"} <= granted
    assert "threads.organize_spaces" not in granted
    # Moderators read the records but change them only through the workflow.
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in granted)


def test_organizers_may_organize_and_open_cases_but_not_moderate():
    granted = perms("organizers")
    assert {"threads.organize_spaces", "moderation.open_case"} <= granted
    assert "moderation.moderate_case" not in granted
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in granted)


def test_a_moderator_has_the_moderator_permissions(moderator):
    user = reloaded(moderator)
    assert user.has_perm("moderation.moderate_case")
    assert user.has_perm("moderation.open_case")
    assert not user.has_perm("threads.organize_spaces")
    assert not user.is_staff


def test_an_organizer_has_the_organizer_permissions(organizer):
    user = reloaded(organizer)
    assert user.has_perm("threads.organize_spaces")
    assert user.has_perm("moderation.open_case")
    assert not user.has_perm("moderation.moderate_case")


def test_someone_in_both_groups_has_both_roles():
    user = make_user("both")
    user.groups.add(*Group.objects.filter(name__in=["moderators", "organizers"]))
    user = reloaded(user)
    assert user.has_perms(
        ["moderation.moderate_case", "moderation.open_case", "threads.organize_spaces"]
    )


def test_a_reader_has_none_of_them():
    user = reloaded(make_user("plain"))
    assert not user.has_perm("moderation.moderate_case")
    assert not user.has_perm("moderation.open_case")
    assert not user.has_perm("threads.organize_spaces")
