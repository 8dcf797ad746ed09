"""The demo's past (moderation.demo_history): made through the workflow, once, and enough
for the transparency table and the effects to show something."""

import pytest
from django.core.management import call_command

from moderation import effects, transparency
from moderation.audit import moderation_log_verify
from moderation.models import Appeal, Case, ModerationEvent


@pytest.mark.django_db
def test_seed_demo_adds_weeks_of_history_once():
    call_command("seed_demo", verbosity=0)
    events = ModerationEvent.objects.count()
    appeals = sorted(Appeal.objects.values_list("kind", "outcome"))
    assert appeals == [("hidden", "overturned"), ("hidden", "upheld"), ("warning", "")]
    # The waiting appeal is a case in the queue; the decided ones were decided by sam.
    assert Case.objects.filter(origin=Case.Origin.APPEAL, state="open").count() == 1
    assert set(
        Appeal.objects.exclude(outcome="").values_list("decided_by__username", flat=True)
    ) == {"sam"}
    groups = {g.key: (g.authors, g.followed) for g in effects.first_case_groups()}
    assert all(authors >= 1 and followed >= 1 for authors, followed in groups.values())
    table = transparency.transparency_table()
    opened = next(row for row in table.rows if row.label == "Cases opened")
    assert sum(opened.values) >= 10
    assert moderation_log_verify().problem is None

    call_command("seed_demo", verbosity=0)
    assert ModerationEvent.objects.count() == events and Appeal.objects.count() == 3
