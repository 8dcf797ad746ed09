"""Heat: an offline score in [0, 1] of how likely a comment is to escalate, with reasons.

A comment's heat combines separate *signals*, each explained in plain words so
a moderator (or the author, in a nudge) can see why:

- a classifier whose model ships inside its PyPI package and loads with no
  network: alt-profanity-check (TF-IDF and calibrated linear SVMs trained on
  offensive language) gives "offensive or vulgar language";
- clear rules: a threat, an insult aimed at a person, a sweeping claim about a
  group, shaming, dismissive or mocking phrasing, an accusation of bad faith,
  all caps, repeated exclamation marks, a link to an outside site.

Each signal has a strength in [0, 1]; heat is their noisy-OR,
``1 - prod(1 - strength)``, so one strong signal or several weak ones raise it,
and a comment with none scores 0.  A rule whose one hit is enough to call a
comment heated has a strength just above the default threshold (0.72); weaker
hints (a lone "lol", "all liberals", a link) need company.  Text inside
quotation marks is mentioned, not said, so the rules skip it; hedged claims
("many liberals…") are not sweeping ones; disagreement is not heat: "I think you
are wrong because…" fires nothing.

``score(text)`` scores one text; ``score_many(texts)`` scores a batch, and
``scored(batches)`` scores a long run of batches ahead in worker processes
(imports and ``score_heat`` use it).  The classifier is evaluated from the
package's own fitted parameters, the same numbers
``profanity_check.predict_prob`` gives (checked when they are first read, then
cached) without its ~35 ms of scikit-learn overhead per call; if the package's
model ever changes shape, its own function is used instead.  Rules run only
near the words they need, so a long calm comment costs little.

Above the space's threshold (``Essay.heat_threshold``, default
``settings.HEAT_THRESHOLD``) a reader's reply gets a nudge before posting, and a
posted comment opens a system case.  A case only brings the comment to the
moderators' attention: nothing is hidden automatically.
"""

import hashlib
import math
import multiprocessing
import os
import re
import threading
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain, islice, repeat
from operator import attrgetter
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils import timezone

# --- signals ------------------------------------------------------------------------------

LABELS = {
    "threat": "threat or wish of harm",
    "insult": "insult aimed at a person",
    "group": "sweeping claim about a group",
    "shaming": "shaming or scolding a person",
    "offensive": "offensive or vulgar language",
    "dismissive": "dismissive or mocking phrasing",
    "bad_faith": "accuses someone of bad faith",
    "caps": "all caps (reads as shouting)",
    "exclamation": "repeated exclamation marks",
    "link": "link to an outside site",
}
RULE_CAP = 0.95  # the most several hits of one rule signal add up to
OFFENSIVE_MIN_PROB = 0.5  # the classifier's probability where its signal starts
OFFENSIVE_STRENGTH = (0.3, 0.65)  # strength at that probability, and at probability 1
OFFENSIVE_WORD_WEIGHT = 1.0  # words whose mean SVM weight reaches this are named as evidence
CAPS_STRENGTH = (0.25, 0.55)  # a few shouted words; mostly capitals
EXCLAMATION_STRENGTH = 0.15
LINK_STRENGTH = (0.15, 0.25)  # one link; several

# Words that insult a person: nouns ("an idiot") and adjectives ("so stupid").
INSULT_NOUNS = """
idiot idiots moron morons imbecile imbeciles fool fools clown clowns troll trolls liar liars
hypocrite hypocrites coward cowards loser losers jerk jerks dimwit dimwits halfwit halfwits
nitwit nitwits cretin cretins snowflake snowflakes shill shills grifter grifters bigot bigots
fascist fascists nazi nazis sociopath sociopaths psycho psychos narcissist narcissists hack
hacks fraud frauds parasite parasites bootlicker bootlickers sellout sellouts traitor traitors
manipulator manipulators pig pigs rat rats snake snakes creep creeps lunatic lunatics cultist
cultists zealot zealots tankie tankies libtard libtards dumbass dumbasses sheep sheeple
""".split()
INSULT_ADJECTIVES = """
idiotic moronic stupid dumb foolish pathetic ignorant delusional brainwashed cowardly clueless
braindead disgusting vile worthless useless deranged unhinged insane crazy dense naive
insufferable arrogant manipulative childish spineless gutless
""".split()
# Nouns of contempt for what someone wrote.
CONTEMPT_WORDS = """
drivel nonsense garbage trash rubbish tripe bs bullshit crap hogwash claptrap twaddle
""".split()
# Mock endearments used as a put-down at the end of a sentence: ", genius."
VOCATIVES = "genius sweetie sweetheart honey buddy pal champ chief kiddo sunshine einstein".split()

GROUP_WORDS = """
liberals conservatives leftists lefties progressives democrats republicans socialists
communists capitalists libertarians feminists activists academics intellectuals boomers
millennials zoomers men women christians muslims jews atheists immigrants vegans americans
europeans centrists moderates radicals marxists anarchists tankies cops journalists
politicians elites billionaires landlords normies
""".split()
GROUP_SINGULAR = """
liberal conservative leftist progressive democrat republican socialist feminist boomer
millennial christian muslim atheist immigrant vegan centrist marxist activist academic
""".split()
PEOPLE_ADJECTIVES = "white black rich poor religious young old gay trans straight woke".split()


def _alt(words):
    return "|".join(sorted(words, key=len, reverse=True))


_NOUN, _ADJ, _CONTEMPT = _alt(INSULT_NOUNS), _alt(INSULT_ADJECTIVES), _alt(CONTEMPT_WORDS)
_ANY = f"{_NOUN}|{_ADJ}"
_GROUP = (
    rf"(?:the\s+(?:left|right|media)|(?:{_alt(PEOPLE_ADJECTIVES)})\s+people"
    rf"|{_alt(GROUP_WORDS)})"
)
_GROUP_ANY = rf"(?:{_GROUP}|{_alt(GROUP_SINGULAR)})"
_SUBJECT = r"(?:the\s+)?(?:author|writer|op|poster|commenter|he|she|they)"
_FILLER = (
    r"(?:(?:such|so|an?|the|just|really|truly|completely|utterly|absolutely|totally|fucking"
    r"|being|acting|are|were|is|sound|look|seem|like|as|one|nothing|but|this|that|of|most"
    r"|bit|kind|sort|little|big|real|actual|literal|pure|only|proving|how|all|complete|total"
    r"|utter)\s+)"
)

# The words that let each rule match: a rule runs only near one of them.
NOUNS, ADJECTIVES = frozenset(INSULT_NOUNS), frozenset(INSULT_ADJECTIVES)
INSULTING = NOUNS | ADJECTIVES
CONTEMPT = frozenset(CONTEMPT_WORDS)
GROUPS = frozenset(GROUP_WORDS) | {"left", "right", "media"} | frozenset(PEOPLE_ADJECTIVES)
GROUPS_ANY = GROUPS | frozenset(GROUP_SINGULAR)

# "many liberals are…" is a claim about some, not a sweeping one.
HEDGES = re.compile(
    r"\b(?:many|some|most|few|certain|several|lots\s+of|a\s+lot\s+of|plenty\s+of|not\s+all"
    r"|of\s+the|of\s+these|of\s+those)\s+$"
)
# "I was an idiot", "calling someone a fool": not an insult aimed at a person.
SELF_OR_MENTION = re.compile(
    r"(?:\b(?:i|i'm|i\s+am|i\s+was|i\s+felt\s+like|me|myself|we\s+were)"
    r"|\bcall(?:s|ed|ing)?\s+(?:\w+\s+)?)\s*$"
)
NEGATION = re.compile(r"\b(?:not|never|no)\b|n't")


@dataclass(frozen=True)
class Rule:
    """One pattern of a rule signal, the strength of one hit, and the words it needs.

    ``needs`` is a tuple of word sets: the text must hold a word of each set
    before the pattern runs at all, so most texts never pay for the regex.
    Patterns read the lowercased text.
    """

    strength: float
    pattern: re.Pattern
    needs: tuple
    negatable: bool = False  # "you're not stupid" does not count
    skip_before: re.Pattern | None = None  # text just before the match that cancels it
    hedgeable: bool = False  # "many liberals are…" does not count
    # Words the pattern starts at: it is tried only there, instead of scanning the text.
    anchors: frozenset | None = None


def _rule(strength, needs, pattern, **kw):
    """``needs``: a set of words, or a string of word groups separated by "&"."""
    if isinstance(needs, str):
        needs = tuple(frozenset(group.split()) for group in needs.split("&"))
    elif isinstance(needs, frozenset):
        needs = (needs,)
    if isinstance(kw.get("anchors"), str):
        kw["anchors"] = frozenset(kw["anchors"].split())
    return Rule(strength, re.compile(pattern), tuple(needs), **kw)


def _and(*groups):
    return tuple(frozenset(g.split()) if isinstance(g, str) else frozenset(g) for g in groups)


RULES = {
    "threat": [
        _rule(
            0.9,
            "find hurt come end ruin destroy beat punch kill pay & ll will gonna going",
            r"\b(?:i|we)(?:'ll|'m\s+going\s+to|'re\s+going\s+to|\s+will|\s+am\s+going\s+to"
            r"|\s+are\s+going\s+to|\s+gonna)\s+(?:find|hurt|come\s+for|end|ruin|destroy|beat"
            r"|punch|kill|make\s+you\s+pay)\b",
        ),
        _rule(
            0.9,
            "watch know & back live work",
            r"\bwatch\s+your\s+back\b|\bknow\s+where\s+you\s+(?:live|work)\b",
            anchors="watch know",
        ),
        _rule(0.85, "regret pay & ll will", r"\byou(?:'ll|\s+will)\s+(?:regret|pay\s+for)\b"),
        _rule(
            0.9,
            "deserve deserves & die suffer rot shot hurt beaten hanged",
            r"\bdeserves?\s+to\s+(?:die|suffer|rot|be\s+(?:shot|hurt|beaten|hanged))\b",
        ),
        _rule(
            0.9,
            "die dies suffer rot & hope wish",
            r"\b(?:hope|wish)\s+(?:you|they|he|she)\s+(?:[\w']+\s+)?(?:die|dies|suffer|rot)\b",
        ),
        _rule(0.95, "kill kys", r"\bkill\s+(?:you|yourself|them|him|her)\b|\bkys\b"),
        _rule(
            0.9,
            "shot hanged hung punched beaten strung & should",
            r"\bshould\s+be\s+(?:shot|hanged|hung|punched|beaten|strung\s+up)\b",
        ),
        _rule(0.85, "outside irl & see", r"\bsee\s+you\s+(?:outside|irl)\b"),
    ],
    "insult": [
        # "you're an idiot", "you absolute clown", "you sound unhinged"
        _rule(
            0.8,
            _and(INSULTING, "you ur yourself"),
            rf"\b(?:you(?:'re|r)?|ur|yourself|u)\s+{_FILLER}{{0,4}}(?:[\w']+\s+)?(?:{_ANY})\b",
            negatable=True,
            anchors="you ur yourself",
        ),
        # "are you really this naive", "how clueless you are"
        _rule(
            0.8,
            _and(ADJECTIVES, "are", "you", "this that so"),
            rf"\bare\s+you\s+(?:[\w']+\s+)?(?:this|that|so)\s+(?:{_ADJ})\b",
        ),
        _rule(
            0.8,
            _and(ADJECTIVES, "how", "you they"),
            rf"\bhow\s+(?:{_ADJ})\s+(?:you|they)\s+(?:are|sound|look)\b",
        ),
        # "idiots like you", "these clowns", "full of trolls"
        _rule(
            0.8,
            _and(NOUNS, "like"),
            rf"\b(?:{_NOUN})\s+like\s+(?:you|him|her|them)\b",
            anchors=NOUNS,
        ),
        _rule(
            0.72,
            _and(NOUNS, "these those full"),
            rf"\b(?:these|those)\s+(?:[\w']+\s+)?(?:{_NOUN})\b|\bfull\s+of\s+(?:{_NOUN})\b",
            anchors="these those full",
        ),
        # "your garbage opinions", "your comment is the most self-righteous drivel"
        _rule(
            0.72,
            _and(ADJECTIVES | CONTEMPT, "your"),
            rf"\byour\s+(?:[\w-]+\s+){{0,5}}?(?:{_ADJ}|{_CONTEMPT})\b",
            anchors="your",
        ),
        # "what a pathetic excuse", "the author is a hack", "a complete moron"
        _rule(
            0.72,
            _and(INSULTING | CONTEMPT, "what such"),
            rf"\b(?:what|such)\s+an?\s+(?:[\w']+\s+)?(?:{_ANY}|{_CONTEMPT})\b",
            anchors="what such",
        ),
        _rule(
            0.72,
            _and(INSULTING, "author writer op poster commenter he she they"),
            rf"\b{_SUBJECT}(?:'s|'re|\s+is|\s+are|\s+was|\s+sounds|\s+seems)\s+"
            rf"{_FILLER}{{0,3}}(?:[\w']+\s+)?(?:{_ANY})\b",
            negatable=True,
            anchors="the author writer op poster commenter he she they",
        ),
        _rule(0.65, NOUNS, rf"\ban?\s+(?:[\w']+\s+)?(?:{_NOUN})\b", skip_before=SELF_OR_MENTION),
        # a put-down at the end of a clause: "…, troll." "…, genius."
        _rule(
            0.72,
            NOUNS | frozenset(VOCATIVES),
            rf",\s*(?:you\s+)?(?:{_NOUN}|{_alt(VOCATIVES)})\s*(?:[.!?]|$)",
        ),
        # contempt for what was written: "total bs", "the dumbest take I've read"
        _rule(
            0.72,
            _and(CONTEMPT, "total complete utter absolute pure"),
            rf"\b(?:total|complete|utter|absolute|pure)\s+(?:{_CONTEMPT})\b",
        ),
        _rule(
            0.72,
            "most dumbest stupidest silliest worst & read & thing take comment argument idea essay"
            " piece post",
            r"\bthe\s+(?:most\s+\w+|dumbest|stupidest|silliest|worst)\s+(?:[\w']+\s+)?(?:thing|take"
            r"|comment|argument|idea|essay|piece|post)\s+(?:i've|i\s+have|i)\s+(?:ever\s+)?read",
        ),
        _rule(
            0.72,
            "brain",
            r"\b(?:anyone|anybody)\s+with\s+(?:a|half\s+a)\s+brain\b|\brequire\s+a\s+brain\b",
        ),
    ],
    "group": [
        # "you people", "people like you", "men like you", "your kind"
        _rule(
            0.72,
            "people & you these those like",
            r"\b(?:you|these|those)\s+people\b|\bpeople\s+like\s+(?:you|them|that)\b",
        ),
        _rule(
            0.72,
            _and(GROUPS, "like"),
            rf"\b{_GROUP}\s+like\s+(?:you|him|her|them)\b",
            anchors=GROUPS,
        ),
        _rule(
            0.72,
            "kind lot tribe ilk types & your you",
            r"\byour\s+(?:kind|lot|tribe|ilk)\b|\byou\s+(?:[\w']+\s+)?types\b",
            anchors="your you",
        ),
        # "liberals are all …", "leftists are nothing but …", "conservatives don't …"
        _rule(
            0.72,
            _and(GROUPS, "are were"),
            rf"\b{_GROUP}\s+(?:are|were)\s+(?:all\b|always\b|never\b|just\b|nothing\s+but\b"
            rf"|incapable\b|the\s+(?:problem|enemy|worst)\b|(?:so\s+)?(?:{_ANY})\b)",
            hedgeable=True,
            anchors=GROUPS,
        ),
        _rule(
            0.72,
            _and(
                GROUPS,
                "always never only can cannot won don do will refuse ruin ruined destroy destroyed",
            ),
            rf"\b{_GROUP}\s+(?:always|never|only\s+care|can't|cannot|won't|don't|do\s+not"
            rf"|will\s+never|refuse\s+to|ruin(?:ed)?|destroy(?:ed)?)\b",
            hedgeable=True,
            anchors=GROUPS,
        ),
        _rule(
            0.72,
            "anyone anybody everyone everybody whoever & who & is are",
            rf"\b(?:anyone|anybody|everyone|everybody|whoever)\s+who\b[^.!?]{{0,80}}?\b(?:is|are)"
            rf"\s+(?:[\w']+\s+){{0,2}}(?:part\s+of\s+the\s+problem|complicit|the\s+(?:problem|enemy)"
            rf"|no\s+better|evil|(?:{_ANY})\b)",
        ),
        _rule(0.72, "trust & never", r"\bnever\s+trust\s+(?:a\s+|an\s+|any\s+)?\w+"),
        _rule(0.72, _and(GROUPS_ANY, "typical"), rf"\btypical\s+(?:[\w']+\s+)?{_GROUP_ANY}\b"),
        # "all liberals", "every single conservative", "all of you": a hint, not enough alone
        _rule(
            0.5,
            _and(GROUPS_ANY, "all every"),
            rf"\b(?:all|every(?:\s+single)?)\s+(?:(?:of\s+)?(?:the|these|those)\s+)?(?:[\w']+\s+)?"
            rf"{_GROUP_ANY}\b",
            hedgeable=True,
            anchors="all every",
        ),
        _rule(
            0.5,
            "all every one & you & of",
            r"\b(?:all|every\s+(?:single\s+)?one)\s+of\s+you\b",
            anchors="all every",
        ),
    ],
    "shaming": [
        _rule(
            0.72,
            "ashamed embarrassed banned fired kicked removed & should",
            rf"\b(?:you|{_SUBJECT}|whoever\s+wrote\s+this)\s+should\s+(?:[\w']+\s+)?be\s+(?:ashamed"
            r"|embarrassed|banned|fired|kicked\s+out|removed)\b",
        ),
        _rule(
            0.72,
            "shame dare",
            r"\bshame\s+on\s+you\b|\bhow\s+dare\s+you\b|\bdon't\s+you\s+dare\b"
            r"|\bhave\s+you\s+no\s+shame\b",
        ),
        _rule(0.72, "disgrace", r"\ba\s+disgrace\s+to\b"),
    ],
    "dismissive": [
        _rule(0.75, "shut & up it", r"\bshut\s+(?:up|it)\b"),
        _rule(0.72, "away & go", r"(?:^|[.!?,]\s*)(?:just\s+)?go\s+away\b"),
        _rule(0.72, "lost & get", r"(?:^|[.!?,]\s*)(?:just\s+)?get\s+lost\b"),
        _rule(0.72, "hike & take", r"\btake\s+a\s+hike\b"),
        _rule(
            0.72,
            "asked cares & nobody one who",
            r"\b(?:nobody|no\s+one)(?:'s)?\s+(?:asked|cares)\b(?=\s*(?:[.!?,]|$|(?:about|for)\s+"
            r"(?:your|you|this|what\s+you)))|\bwho\s+asked\b(?=\s*\?|\s+you)",
        ),
        _rule(
            0.72,
            "seriously & takes take & nobody one",
            r"\b(?:nobody|no\s+one)\s+(?:[\w']+\s+)?takes?\s+you\s+seriously\b",
        ),
        _rule(
            0.6, "educate grow & yourself up", r"\beducate\s+yourself\b|(?:^|[.!?,]\s*)grow\s+up\b"
        ),
        _rule(
            0.72, "life clue grip & get", r"\bget\s+a\s+(?:life|clue)\b|\bget\s+a\s+grip\b(?!\s+on)"
        ),
        _rule(
            0.72,
            "cry boo seethe",
            r"\bcry\s+(?:more|harder|about\s+it|me\s+a\s+river)\b|\bboo\s+hoo\b|\bseethe\b",
        ),
        _rule(0.6, "cope", r"\bcope\s+(?:harder|more)\b|(?:^|[.!?]\s*)cope\s*[.!]"),
        _rule(0.3, "lol lool lolol lmao lmfao rofl", r"\b(?:l+o+l+|lmf?ao+|rofl)\b"),
        _rule(
            0.6,
            "boomer spare break yawn",
            r"\bok(?:ay)?\s+boomer\b|\bspare\s+me\b|\bgive\s+me\s+a\s+break\b|\byawn\b",
        ),
        _rule(
            0.72,
            "learn book & read some",
            r"\blearn\s+(?:to\s+read|some\s+\w+)\b|\bread\s+a\s+book\b",
        ),
        _rule(
            0.72,
            "read & can & you they",
            r"\b(?:you|some\s+of\s+you|they)\s+(?:[\w']+\s+)?can't\s+(?:even\s+)?read\b",
        ),
        _rule(
            0.5,
            "research homework & do & your some",
            r"\bdo\s+(?:your|some)\s+(?:own\s+)?(?:research|homework)\b",
        ),
        _rule(
            0.6,
            "imagine & thinking believing being writing",
            r"\bimagine\s+(?:thinking|believing|being|writing)\b",
        ),
        _rule(
            0.72,
            "proving confirming & point",
            r"\bthanks\s+for\s+(?:proving|confirming)\s+my\s+point\b",
        ),
        _rule(0.6, "nice hurt & try who", r"(?:^|[.!?,]\s*)nice\s+try\b|\bwho\s+hurt\s+you\b"),
        _rule(0.72, "bless & heart", r"\bbless\s+your\s+heart\b"),
        _rule(
            0.65,
            "head & over & your",
            r"\b(?:went|goes|go|flew)\s+(?:right\s+)?over\s+your\s+head\b",
        ),
        _rule(0.5, "embarrass embarrassing & yourself", r"\bembarrass(?:ing)?\s+yourself\b"),
        _rule(
            0.65,
            "whining crying whinging & stop quit keep",
            r"\b(?:stop|quit)\s+(?:whining|crying|whinging)\b|\bkeep\s+crying\b",
        ),
        _rule(
            0.6,
            "back where & go & hole cave rock basement bubble came",
            r"\bgo\s+back\s+to\s+(?:whatever|the|your)\s+(?:[\w']+\s+)?(?:hole|cave|rock|basement"
            r"|bubble)\b|\bgo\s+back\s+(?:to\s+)?where\s+you\s+came\s+from\b",
        ),
        _rule(0.6, "typical", r"(?:^|[.!?]\s+)typical\b"),
    ],
    "bad_faith": [
        _rule(
            0.72,
            "lying trolling gaslighting deflecting manipulating faith & you they he she re",
            r"\b(?:you|they|he|she)(?:'re|\s+are|\s+is|'s)\s+(?:[\w']+\s+)?(?:lying|trolling"
            r"|gaslighting|deflecting|manipulating|arguing\s+in\s+bad\s+faith)\b",
            negatable=True,
        ),
        _rule(
            0.72,
            "lying trolling gaslighting deflecting pretending & stop",
            r"\bstop\s+(?:lying|trolling|gaslighting|deflecting|pretending)\b",
        ),
        _rule(
            0.72,
            "concern virtue pearl & troll trolls trolling trolled signal signalling signaling"
            " clutch clutching",
            r"\b(?:concern\s+troll\w*|virtue[- ]signal\w*|pearl[- ]clutch\w*)\b",
        ),
        _rule(
            0.72,
            "clearly obviously evidently even & read understand understood get & you",
            r"\byou\s+(?:clearly|obviously|evidently|didn't\s+even|did\s+not\s+even|can't\s+even)"
            r"\s+(?:[\w']+\s+)?(?:read|understand|understood|get\s+it)\b",
        ),
        _rule(0.72, "read & even actually & did", r"\bdid\s+you\s+(?:even|actually)\s+read\b"),
        _rule(
            0.6,
            "care & don & actually even really",
            r"\byou\s+don't\s+(?:actually|even|really)\s+care\s+about\b",
        ),
        _rule(0.6, "agenda & your", r"\b(?:what's|what\s+is)\s+your\s+(?:real\s+)?agenda\b"),
        _rule(
            0.72,
            "paid paying & you",
            r"\b(?:are\s+you|who(?:'s|\s+is))\s+(?:being\s+)?pa(?:id|ying)\s+(?:you\s+)?to\b",
        ),
        _rule(
            0.6,
            "fake & outrage concern tears empathy sympathy sincerity",
            r"\bfake\s+(?:outrage|concern|tears|empathy|sympathy|sincerity)\b",
        ),
        _rule(
            0.6,
            "victim & act card play plays playing",
            r"\bvictim\s+(?:act|card)\b|\bplay(?:s|ing)?\s+the\s+victim\b",
        ),
    ],
}
RULE_ORDER = ("threat", "insult", "group", "shaming", "dismissive", "bad_faith")
LINK_HINT = re.compile(r"\.(?:com|org|net|io|co|info|ly|me|xyz|biz|example)\b")
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|io|co|info|ly|me|xyz|biz|example)\b\S*",
    re.IGNORECASE,
)
_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))
# Every ASCII capital becomes "A" and every other byte a space: b"AAAA" then finds a run of four.
_CAPITALS_ONLY = bytes(65 if 65 <= b <= 90 else 32 for b in range(256))
CAPS_MIN = 8  # fewer capital letters than this cannot make the caps signal
CAPS_WORDS = re.compile(r"\b[A-Z][A-Z']{1,}\b")
LETTER = re.compile(r"[^\W\d_]")
UPPER = re.compile(r"[A-Z]")
TOKEN = re.compile(r"\b\w\w+\b")  # the classifier's own token pattern
WORD = re.compile(r"\w+")
# The same tokens for ASCII text, faster: every ASCII character that is not \w becomes a space.
_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
_PUNCTUATION = "’‘“”—–…"


def tokens(lower):
    """Every word (run of \\w) of a lowercased text; the classifier's tokens are those of two
    letters or more (its ``TOKEN`` pattern), and no vocabulary entry has one letter."""
    if not lower.isascii():
        spaced = lower
        for mark in _PUNCTUATION:
            if mark in spaced:
                spaced = spaced.replace(mark, " ")
        if not spaced.isascii():
            return WORD.findall(lower)
        lower = spaced
    return lower.translate(_NON_WORD).split()


QUOTED = re.compile(
    r"“[^”]{1,300}”|\"[^\"\n]{1,300}\"|(?:(?<=^)|(?<=[\s(]))'[^'\n]{1,300}'(?=[\s.,;:!?)]|$)"
)
# --- the packaged classifier --------------------------------------------------------------


class OffensiveModel:
    """alt-profanity-check's TF-IDF + calibrated linear SVMs, evaluated from their fitted
    numbers: ``prob`` in plain Python for one text, ``probs`` with numpy for many.

    The numbers come from the package's pickled scikit-learn objects, checked
    against the package's own ``predict_prob``, and are kept in an ``.npz`` under
    ``HEAT_MODEL_CACHE`` named after the package's data files: a later process
    loads them in milliseconds, without importing scikit-learn (a second or two,
    and about 80 MiB).  If the package's model ever changes shape, its own
    function is used instead.
    """

    PROBE = [
        "you absolute idiot",
        "thank you for this careful essay",
        "what a load of crap, honestly",
        "",
    ]

    def __init__(self):
        import numpy as np  # (here, not at the top: most processes never score a comment)

        self.fast = False
        path = _model_cache_path()
        try:
            with np.load(path) as saved:
                self._use(**{name: saved[name] for name in saved.files})
            self.fast = True
        except (OSError, ValueError, TypeError):  # missing, damaged, or of another shape
            self._from_package(path)

    def _use(self, words, idf, weights, intercepts, a, b):
        self.idf, self.weights, self.intercepts, self.a, self.b = idf, weights, intercepts, a, b
        self.vocabulary = {word: j for j, word in enumerate(words.tolist())}

    @cached_property
    def rows(self):
        """{word: (idf, weights)} for ``prob``: built on first use (batches do without)."""
        idf, weights = self.idf.tolist(), self.weights.tolist()
        return {word: (idf[j], tuple(weights[j])) for word, j in self.vocabulary.items()}

    def _from_package(self, path):
        import numpy as np
        from profanity_check import profanity_check as package

        self.package = package
        vectorizer, model = package.vectorizer, package.model
        try:
            members = model.calibrated_classifiers_
            words = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            numbers = {
                "words": np.array(words),
                "idf": np.asarray(vectorizer.idf_, dtype=float),
                "weights": np.column_stack([m.estimator.coef_.ravel() for m in members]),
                "intercepts": np.array([float(m.estimator.intercept_[0]) for m in members]),
                "a": np.array([float(m.calibrators[0].a_) for m in members]),
                "b": np.array([float(m.calibrators[0].b_) for m in members]),
            }
            shape_ok = (
                len(members) > 0
                and sorted(vectorizer.vocabulary_.values()) == list(range(len(words)))
                and numbers["weights"].shape == (len(words), len(members))
                and vectorizer.lowercase
                and vectorizer.ngram_range == (1, 1)
                and vectorizer.analyzer == "word"
                and vectorizer.token_pattern == r"(?u)\b\w\w+\b"
                and vectorizer.norm == "l2"
                and vectorizer.use_idf
                and not vectorizer.sublinear_tf
                and not vectorizer.binary
                and vectorizer.preprocessor is None
                and vectorizer.tokenizer is None
            )
        except (AttributeError, IndexError, TypeError, ValueError):
            shape_ok = False
        if not shape_ok:
            return
        self._use(**numbers)
        words = [tokens(t.lower()) for t in self.PROBE]
        expected = package.predict_prob(self.PROBE)
        self.fast = all(
            abs(self.prob(w)[0] - e) < 1e-6 and abs(got - e) < 1e-6
            for w, e, got in zip(words, expected, self._batch_probs(words), strict=True)
        )
        if self.fast:
            try:  # written whole, then renamed: a reader never sees half a file
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(f".{os.getpid()}.partial.npz")
                np.savez(partial, **numbers)
                os.replace(partial, path)
            except OSError:
                pass  # a read-only place: every process reads the package instead

    def _calibrated(self, decisions):
        import numpy as np

        return np.mean(1.0 / (1.0 + np.exp(np.clip(self.a * decisions + self.b, -700, 700))), -1)

    def prob(self, words):
        """(probability of offensive language, [(word, mean weight), …]) for one text's words."""
        rows = self.rows
        sq = 0.0
        sums = [0.0] * len(self.intercepts)
        named = []
        for word, count in Counter(words).items():
            row = rows.get(word)
            if row is None:
                continue
            value = count * row[0]
            sq += value * value
            weights = row[1]
            for i, w in enumerate(weights):
                sums[i] += value * w
            named.append((word, sum(weights) / len(weights)))
        norm = math.sqrt(sq) or 1.0
        total = 0.0
        for i, s in enumerate(sums):
            decision = s / norm + self.intercepts[i]
            total += 1.0 / (1.0 + math.exp(min(700.0, self.a[i] * decision + self.b[i])))
        return total / len(sums), named

    def probs(self, texts, words=None):
        """Probabilities for many texts (``words``: each text's ``tokens``, if at hand)."""
        if not self.fast:
            return [float(p) for p in self.package.predict_prob(list(texts))]
        if words is None:
            words = [tokens(t.lower()) for t in texts]
        return self._batch_probs(words)

    def _batch_probs(self, word_lists):
        """All the texts' TF-IDF vectors times the weights at once, as (text, word) pairs."""
        import numpy as np

        count, size = len(word_lists), len(self.idf)
        columns = []
        get = self.vocabulary.get
        for words in word_lists:
            columns += map(get, words, repeat(-1))
        columns = np.array(columns, dtype=np.int64)
        rows = np.repeat(np.arange(count), [len(w) for w in word_lists])
        known = columns >= 0
        pairs, repeats = np.unique(rows[known] * size + columns[known], return_counts=True)
        rows, columns = np.divmod(pairs, size)
        values = repeats * self.idf[columns]  # term frequency times idf
        norms = np.sqrt(np.bincount(rows, values * values, minlength=count))
        norms[norms == 0] = 1.0
        sums = [
            np.bincount(rows, values * self.weights[columns, i], minlength=count)
            for i in range(self.weights.shape[1])
        ]
        decisions = np.column_stack(sums) / norms[:, None] + self.intercepts
        return [float(p) for p in self._calibrated(decisions)]


def _model_cache_path():
    """The cache file for the installed package's model (named by its data files' digest).
    The package is found, not imported: importing it loads scikit-learn."""
    from importlib.util import find_spec

    digest = hashlib.sha256()
    data = Path(find_spec("profanity_check").submodule_search_locations[0]) / "data"
    for name in ("model.joblib", "vectorizer.joblib"):
        digest.update((data / name).read_bytes())
    return Path(settings.HEAT_MODEL_CACHE) / f"alt-profanity-check-{digest.hexdigest()[:16]}.npz"


_model = None
_model_lock = threading.Lock()


def model():
    """Load the classifier once per process (about a second: scikit-learn is imported)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = OffensiveModel()
    return _model


warm_up = model


# --- scoring ------------------------------------------------------------------------------


def _signal(code, strength, evidence=()):
    evidence = list(dict.fromkeys(e[:60] for e in evidence if e))[:3]
    return {"code": code, "label": LABELS[code], "weight": round(strength, 2), "evidence": evidence}


class _Text:
    """One text as the rules read it: its words, and those of them that some rule needs."""

    def __init__(self, raw):
        raw = raw or ""
        if "’" in raw or "‘" in raw:
            raw = raw.replace("’", "'").replace("‘", "'")
        self.raw = raw
        self.lower = raw.lower()
        self.words = tokens(self.lower)
        self.present = RULE_WORDS.intersection(self.words)
        self._quoted = None
        self._starts = {}

    def starts(self, word):
        """Where ``word`` starts a rule's match ("left", "right", "media" only after "the")."""
        found = self._starts.get(word)
        if found is None:
            found = self._starts[word] = list(_occurrences(self.lower, word))
            if word in ("left", "right", "media"):
                found[:] = [i - 4 for i in found if self.lower[max(0, i - 4) : i] == "the "]
        return found

    def quoted(self, start):
        """Whether ``start`` falls inside quotation marks (mentioned, not said)."""
        if self._quoted is None:
            text = self.raw
            self._quoted = (
                [m.span() for m in QUOTED.finditer(text)]
                if ('"' in text or "'" in text or "“" in text)
                else []
            )
        return any(a <= start < b for a, b in self._quoted)


# Gating: every distinct ``needs`` group gets a bit; a text's words set the bits of the
# groups they belong to, and a rule runs only when all of its groups' bits are set.
_GROUP_BITS, _WORD_BITS, RULE_MASKS = {}, {}, []
for _code in RULE_ORDER:
    for _rule_ in RULES[_code]:
        _mask = 0
        for _group in _rule_.needs:
            _mask |= _GROUP_BITS.setdefault(_group, 1 << len(_GROUP_BITS))
        RULE_MASKS.append((_code, _rule_, _mask))
for _group, _bit in _GROUP_BITS.items():
    for _word in _group:
        _WORD_BITS[_word] = _WORD_BITS.get(_word, 0) | _bit
GATE_WORDS = frozenset(_WORD_BITS)
# Every word a rule looks for: its gate words and the words it starts at.
RULE_WORDS = GATE_WORDS.union(*(r.anchors for rules in RULES.values() for r in rules if r.anchors))
# Each rule is also filed under the words of its first group: only those rules are checked.
RULE_INDEX = {}
for _code in RULE_ORDER:
    for _position, _rule_ in enumerate(RULES[_code]):
        _mask = next(m for c, r, m in RULE_MASKS if r is _rule_)
        for _word in _rule_.needs[0]:
            RULE_INDEX.setdefault(_word, []).append((_code, _position, _rule_, _mask))
KEY_WORDS = frozenset(RULE_INDEX)
# Rules read this far around their key words (in characters); short texts are read whole.
WINDOW_BEFORE, WINDOW_AFTER, WHOLE_TEXT = 80, 160, 300


def _is_word(char):
    return char.isalnum() or char == "_"


def _occurrences(lower, word):
    """Start positions of ``word`` as a whole word in ``lower``."""
    n, size = len(lower), len(word)
    i = lower.find(word)
    while i != -1:
        end = i + size
        if (i == 0 or not _is_word(lower[i - 1])) and (end == n or not _is_word(lower[end])):
            yield i
        i = lower.find(word, end)


def _anchored(rule, text, words):
    """Matches of ``rule`` starting at whole-word occurrences of ``words``, in text order and
    not overlapping (as ``finditer`` would give them)."""
    lower = text.lower
    starts = []
    for word in words:
        starts += text.starts(word)
    end = 0
    for start in sorted(starts):
        if start >= end:
            match = rule.pattern.match(lower, start)
            if match:
                end = match.end()
                yield match


def _windowed(rule, lower, words):
    """Matches of ``rule`` near whole-word occurrences of ``words`` (the text if short)."""
    n = len(lower)
    if n <= WHOLE_TEXT:
        yield from rule.pattern.finditer(lower)
        return
    spans = sorted(
        (max(0, i - WINDOW_BEFORE), min(n, i + len(word) + WINDOW_AFTER))
        for word in words
        for i in _occurrences(lower, word)
    )
    end = -1
    for a, b in spans:
        if a < end:
            a = end  # the part before was read already
        if a < b:
            yield from rule.pattern.finditer(lower, a, b)
            end = b


def _candidates(text):
    """{code: [rule, …]} of the rules whose needed words are all in the text."""
    words = GATE_WORDS.intersection(text.present)
    if not words:
        return {}
    present = 0
    for word in words:
        present |= _WORD_BITS[word]
    found = {}
    for word in words & KEY_WORDS:
        for code, position, rule, mask in RULE_INDEX[word]:
            if present & mask == mask:
                found.setdefault(code, {})[position] = rule
    return {code: [rule for _, rule in sorted(rules.items())] for code, rules in found.items()}


def _rule_signal(code, text, rules):
    present = text.present
    lower, raw = text.lower, text.raw
    same_length = len(raw) == len(lower)  # evidence quotes the writer's own capitals
    seen = {}
    for rule in rules:
        if rule.anchors is None:
            matches = _windowed(rule, lower, present.intersection(rule.needs[0]))
        else:
            matches = _anchored(rule, text, present.intersection(rule.anchors))
        for match in matches:
            start = match.start()
            if match.span() in seen or text.quoted(start):
                continue
            snippet = (raw if same_length else lower)[start : match.end()].strip(" ,.!?")
            if rule.negatable and NEGATION.search(snippet):
                continue
            before = lower[max(0, start - 24) : start]
            if rule.skip_before and rule.skip_before.search(before):
                continue
            if rule.hedgeable and HEDGES.search(before):
                continue
            seen[match.span()] = (rule.strength, snippet)
    if not seen:
        return None
    hits = [hit for _, hit in sorted(seen.items(), key=lambda item: (-item[1][0], item[0]))]
    calm = 1.0
    for strength, _ in hits:
        calm *= 1.0 - strength
    return _signal(code, min(RULE_CAP, 1.0 - calm), [snippet for _, snippet in hits])


def _score(text, prob, words):
    """Heat and signals of one ``_Text`` given the classifier's probability."""
    candidates = _candidates(text)
    signals = [
        _rule_signal(code, text, candidates[code]) for code in RULE_ORDER if code in candidates
    ]

    if prob >= OFFENSIVE_MIN_PROB:
        low, high = OFFENSIVE_STRENGTH
        strength = low + (high - low) * (prob - OFFENSIVE_MIN_PROB) / (1 - OFFENSIVE_MIN_PROB)
        named = sorted((w for w in words if w[1] >= OFFENSIVE_WORD_WEIGHT), key=lambda w: -w[1])
        signals.append(_signal("offensive", strength, [w for w, _ in named]))

    raw = text.raw
    encoded = raw.encode("utf-8", "ignore")  # only ASCII capitals are counted
    capitals = len(encoded) - len(encoded.translate(None, _CAPITALS))
    if capitals >= CAPS_MIN and b"AAAA" in encoded.translate(_CAPITALS_ONLY):
        shouted = CAPS_WORDS.findall(raw)
        long_ones = [w for w in shouted if len(w) >= 4]
        letters = len(LETTER.findall(raw))
        if letters >= 12 and sum(map(len, shouted)) >= 0.7 * letters:
            signals.append(_signal("caps", CAPS_STRENGTH[1], [raw.strip()[:40]]))
        elif len(long_ones) >= 2 or (long_ones and len(UPPER.findall(raw)) >= CAPS_MIN):
            signals.append(_signal("caps", CAPS_STRENGTH[0], long_ones))

    bangs = raw.count("!")
    if "!!" in raw or bangs >= 3:
        signals.append(_signal("exclamation", EXCLAMATION_STRENGTH, ["!" * min(3, bangs)]))

    lower = text.lower
    if "." in raw and ("http" in lower or "www." in lower or LINK_HINT.search(lower)):
        links = LINK.findall(raw)
        if links:
            strength = LINK_STRENGTH[1] if len(links) > 1 else LINK_STRENGTH[0]
            signals.append(_signal("link", strength, links))

    signals = sorted((s for s in signals if s), key=lambda s: -s["weight"])
    calm = 1.0
    for s in signals:
        calm *= 1.0 - s["weight"]
    return round(1.0 - calm, 3), signals


def _score_one(raw):
    text = _Text(raw)
    classifier = model()
    if classifier.fast:
        prob, words = classifier.prob(text.words)
    else:
        prob, words = classifier.probs([text.raw])[0], []
    return _score(text, prob, words)


@lru_cache(maxsize=256)
def _score_cached(raw):
    heat, signals = _score_one(raw)
    return heat, tuple(
        tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in s.items()) for s in signals
    )


def score(text):
    """(heat in [0, 1], signals) for one text.

    Each signal is a dict: ``code``, ``label`` (plain words), ``weight`` (its
    strength) and ``evidence`` (up to three snippets of the text).
    """
    heat, signals = _score_cached(text or "")
    return heat, [{k: (list(v) if isinstance(v, tuple) else v) for k, v in s} for s in signals]


def score_many(texts):
    """[(heat, signals), …] for many texts, in order, with the classifier run once for all."""
    texts = [_Text(t) for t in texts]
    if not texts:
        return []
    classifier = model()
    probs = classifier.probs([t.raw for t in texts], [t.words for t in texts])
    results = []
    for text, prob in zip(texts, probs, strict=True):
        # Name the words behind the (rare) offensive ones; the batch product gives no words.
        words = classifier.prob(text.words)[1] if classifier.fast and prob >= 0.5 else []
        results.append(_score(text, prob, words))
    return results


def enabled():
    return getattr(settings, "HEAT_SCORING", True)


def apply(comment):
    """Set ``comment.heat`` and ``comment.heat_signals`` from its body (not saved)."""
    if enabled():
        comment.heat, comment.heat_signals = score(comment.body)
    return comment


def _may_fork():
    """A fork copies only the calling thread: a lock another thread held at that moment stays
    held in the child for good.  So only a single-threaded process forks."""
    return threading.active_count() == 1


def scored(batches, body=attrgetter("body")):
    """Yield ``(batch, [(heat, signals), …])`` for each batch (a list of comments).

    Scoring a long comment costs more than parsing and writing it, so once a
    second batch shows the input is long, the batches are scored ahead in
    ``HEAT_WORKERS`` worker processes while this process goes on reading and
    writing; on two cores the two overlap.  Workers are forked, so they start
    at once (each reads the model's cached numbers itself, which keeps them out
    of this process); a process running other threads (a threaded server)
    could fork one of their locks held, so it scores here, batch by batch.
    """
    batches = iter(batches)
    start = list(islice(batches, 2))
    workers = getattr(settings, "HEAT_WORKERS", 0)
    if len(start) < 2 or workers < 1 or not _may_fork():
        for batch in chain(start, batches):
            yield batch, score_many(map(body, batch))
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    pending = deque()
    try:
        for batch in chain(start, batches):
            pending.append((batch, pool.submit(score_many, [body(c) for c in batch])))
            if len(pending) > workers:  # one batch is written while the workers score
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(cancel_futures=True)


def threshold_for(essay):
    value = getattr(essay, "heat_threshold", None)
    return settings.HEAT_THRESHOLD if value is None else value


def is_heated(heat, threshold):
    """Above the threshold (strictly), as the nudge, the cases and evaluate_heat read it."""
    return heat is not None and heat > threshold


def summary(signals):
    """The signals' labels joined for one line of text: "insult aimed at a person; all caps"."""
    return "; ".join(s["label"] for s in signals)


# --- system cases ---------------------------------------------------------------------------


def open_case_if_heated(comment):
    """Open a system case on a reader's comment whose heat is above its space's threshold.

    Runs inside the transaction that saved the comment.  The case (origin
    "heat", opened by nobody, its event's reason starting with "heated") only
    brings the comment to the moderators; nothing about the comment changes.  If
    a case is already open on it, the heat is noted there instead.  Returns the
    case, or None when the comment is not heated.
    """
    from threads.models import Comment

    if comment.kind != Comment.Kind.COMMENT or not is_heated(
        comment.heat, threshold_for(comment.essay)
    ):
        return None
    from .audit import record
    from .models import Case, Reason
    from .workflow import open_system_case

    why = f"{Reason.HEATED.value}: heat {comment.heat:.2f} ({summary(comment.heat_signals)})"
    case, created = open_system_case(comment, Case.Origin.HEAT, why)
    if not created:
        record(
            None,
            "heat_noted",
            case=case,
            after={"heat": comment.heat, "signals": [s["code"] for s in comment.heat_signals]},
            reason=why,
        )
    return case


# --- nudges before posting ------------------------------------------------------------------

NUDGE_SALT = "callin.moderation.heat.nudge"


def _digest(text):
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:24]


@dataclass
class NudgeCheck:
    """What the reply form does with one submission (see ``check_reply``)."""

    heat: float
    signals: list
    threshold: float
    show: bool  # the form comes back with the prompt instead of posting
    token: str = ""  # hidden field carrying the nudge to the next submission
    nudge_id: int | None = None
    result: str | None = None  # recorded on the nudge once the comment is posted
    repeated: bool = False  # the same text came back after a nudge

    def posted(self):
        """The comment went in: record what the author did after the nudge."""
        if self.nudge_id and self.result:
            from .models import Nudge

            Nudge.objects.filter(pk=self.nudge_id, result=Nudge.Result.SHOWN).update(
                result=self.result
            )


def _carried_nudge(token, user, essay):
    """(nudge, digest of the nudged text) from a hidden-field token, if still open."""
    if not token:
        return None, None
    try:
        data = signing.loads(token, salt=NUDGE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None, None
    from .models import Nudge

    nudge = Nudge.objects.filter(
        pk=data.get("id"), user=user, essay=essay, result=Nudge.Result.SHOWN
    ).first()
    return (nudge, data.get("text")) if nudge else (None, None)


def check_reply(essay, user, body, token="", post_anyway=False):
    """Decide whether a reader's reply gets a nudge before it is posted.

    - First submission above the threshold: a ``Nudge`` row (shown) is written
      and the form comes back with the prompt; nothing is blocked.
    - Next submission carrying that nudge: "Post anyway" posts it (result
      posted_anyway); changed text posts it (result edited); the same text
      through the plain button shows the prompt again.
    """
    from .models import Nudge

    heat, signals = score(body) if enabled() else (0.0, [])
    threshold = threshold_for(essay)
    above = enabled() and is_heated(heat, threshold)
    check = NudgeCheck(heat=heat, signals=signals, threshold=threshold, show=False)
    nudge, nudged_text = _carried_nudge(token, user, essay)
    if nudge is not None:
        check.nudge_id, check.token = nudge.pk, token
        if post_anyway:
            check.result = Nudge.Result.POSTED_ANYWAY
        elif _digest(body) != nudged_text:
            check.result = Nudge.Result.EDITED
        elif above:
            check.show, check.repeated = True, True
        else:  # the threshold moved since: post it as it is
            check.result = Nudge.Result.POSTED_ANYWAY
        return check
    if above and not post_anyway:
        nudge = Nudge.objects.create(essay=essay, user=user, heat=heat, created=timezone.now())
        check.show, check.nudge_id = True, nudge.pk
        check.token = signing.dumps({"id": nudge.pk, "text": _digest(body)}, salt=NUDGE_SALT)
    return check


def nudge_rates(since=None, essay=None):
    """Nudges shown, and what followed: edited, posted anyway, no decision (yet)."""
    from django.db.models import Count

    from .models import Nudge

    nudges = Nudge.objects.all()
    if since is not None:
        nudges = nudges.filter(created__gte=since)
    if essay is not None:
        nudges = nudges.filter(essay=essay)
    counts = dict(nudges.values_list("result").annotate(n=Count("id")).order_by())
    shown = sum(counts.values())
    edited = counts.get(Nudge.Result.EDITED, 0)
    anyway = counts.get(Nudge.Result.POSTED_ANYWAY, 0)
    undecided = counts.get(Nudge.Result.SHOWN, 0)

    def rate(n):
        return round(n / shown, 3) if shown else None

    return {
        "shown": shown,
        "edited": edited,
        "posted_anyway": anyway,
        "no_decision": undecided,
        "edited_rate": rate(edited),
        "posted_anyway_rate": rate(anyway),
        "no_decision_rate": rate(undecided),
    }
