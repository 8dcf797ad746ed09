"""Heat: an offline score in [0, 1] of how likely a text is to escalate, with reasons.

Plain Python, text in and score out: it knows nothing of Django, comments or
moderation.  A trained model that ships in the repository (``heat.model``,
rebuilt by ``heat.training``) gives the score from the text's hashed words and
characters and its separate *signals*, each said in plain words so a moderator
(or the author, in a nudge) can see why:

- the offensive-language classifier that ships inside its PyPI package
  (``heat.classifier``) gives "offensive or vulgar language";
- clear rules (``heat.rules`` and ``heat.contempt``, run by ``heat.matching``):
  a threat, an insult aimed at a person, a sweeping claim about a group,
  shaming, dismissive phrasing, an accusation of bad faith, mocking the person,
  telling someone to leave, judging the person, a threat to expose someone,
  dismissing someone for who they are, casting someone as an enemy;
- the text's look (``heat.scoring``): all caps, repeated exclamation marks, a
  link to an outside site.

``score_text`` scores one text, ``score_texts`` a batch with one classifier
pass, and ``score_batches`` a long run of batches ahead in worker processes
(``heat.workers``).  ``is_heated`` compares a heat with a threshold.
"""

from .classifier import load_classifier
from .scoring import forget_scored_texts, is_heated, score_text, score_texts, signal_summary
from .words import LABELS
from .workers import score_batches

__all__ = [
    "LABELS",
    "forget_scored_texts",
    "is_heated",
    "load_classifier",
    "score_batches",
    "score_text",
    "score_texts",
    "signal_summary",
]
