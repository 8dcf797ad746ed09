"""Print whether calling in works: authors by how their first case ended, the share
flagged again within 30 days and the median time to it; then the nudge funnel."""

from django.core.management.base import BaseCommand

from moderation import effects

HEADER = ("First case ended", "Authors", "Followed 30 d", "Flagged again", "Share", "Median")


class Command(BaseCommand):
    help = (
        "Authors grouped by how their first case ended: the share flagged again within "
        "30 days and the median time to it, with group sizes; then the nudge funnel."
    )

    def handle(self, *args, **options):
        rows = [HEADER]
        for g in effects.first_case_groups():
            share = "—" if g.percent is None else f"{g.percent}%"
            rows.append(
                (
                    g.label,
                    str(g.authors),
                    str(g.followed),
                    str(g.flagged_again),
                    share,
                    g.median_display,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
        for row in rows:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(
            "Share: of the authors followed for 30 days after their first case, those a "
            "reader flagged again within them."
        )
        funnel = effects.nudge_funnel()
        self.stdout.write("")
        self.stdout.write(
            f"Nudge funnel: shown {funnel.shown} → edited {funnel.edited} → posted anyway "
            f"{funnel.posted_anyway} → later flagged {funnel.later_flagged} "
            f"({funnel.flagged_after_edit} after editing, {funnel.flagged_after_anyway} "
            "after posting anyway)"
        )
