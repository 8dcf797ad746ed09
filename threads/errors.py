"""The one error a refused action raises, defined in the lowest layer that raises it."""


class Refused(Exception):
    """An action refused, with a message meant for the person who tried.

    ``threads.posting`` raises it; ``moderation.workflow.Refused`` is this same class,
    so a page catches one type whichever layer said no.
    """
