"""The rule signals: each rule is a pattern, the strength of one hit and the words it needs.

A rule whose one hit is enough to call a comment heated has a strength just
above the default threshold (0.72); weaker hints (a lone "lol", "all liberals",
a link) need company.  Hedged claims ("many liberals…") are not sweeping ones,
and disagreement is not heat: "I think you are wrong because…" fires nothing.

The index at the end files each rule under the words it needs, so a text
wakes only the rules whose words it holds (``heat.matching`` runs them).
"""

import re

from .contempt import CONTEMPT_ORDER, CONTEMPT_RULES
from .rulekit import SELF_OR_MENTION, all_of, alt, rule
from .words import (
    CONTEMPT_WORDS,
    GROUP_SINGULAR,
    GROUP_WORDS,
    INSULT_ADJECTIVES,
    INSULT_NOUNS,
    PEOPLE_ADJECTIVES,
    VOCATIVES,
)

_NOUN, _ADJ, _CONTEMPT = alt(INSULT_NOUNS), alt(INSULT_ADJECTIVES), alt(CONTEMPT_WORDS)
_ANY = f"{_NOUN}|{_ADJ}"
_GROUP = (
    rf"(?:the\s+(?:left|right|media)|(?:{alt(PEOPLE_ADJECTIVES)})\s+people"
    rf"|{alt(GROUP_WORDS)})"
)
_GROUP_ANY = rf"(?:{_GROUP}|{alt(GROUP_SINGULAR)})"
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
RULES = {
    "threat": [
        rule(
            0.9,
            "find hurt come end ruin destroy beat punch kill pay & ll will gonna going",
            r"\b(?:i|we)(?:'ll|'m\s+going\s+to|'re\s+going\s+to|\s+will|\s+am\s+going\s+to"
            r"|\s+are\s+going\s+to|\s+gonna)\s+(?:find|hurt|come\s+for|end|ruin|destroy|beat"
            r"|punch|kill|make\s+you\s+pay)\b",
            anchors="i we",
        ),
        rule(
            0.9,
            "watch know & back live work",
            r"\bwatch\s+your\s+back\b|\bknow\s+where\s+you\s+(?:live|work)\b",
            anchors="watch know",
        ),
        rule(0.85, "regret pay & ll will", r"\byou(?:'ll|\s+will)\s+(?:regret|pay\s+for)\b"),
        rule(
            0.9,
            "deserve deserves & die suffer rot shot hurt beaten hanged",
            r"\bdeserves?\s+to\s+(?:die|suffer|rot|be\s+(?:shot|hurt|beaten|hanged))\b",
        ),
        rule(
            0.9,
            "die dies suffer rot & hope wish",
            r"\b(?:hope|wish)\s+(?:you|they|he|she)\s+(?:[\w']+\s+)?(?:die|dies|suffer|rot)\b",
        ),
        rule(0.95, "kill kys", r"\bkill\s+(?:you|yourself|them|him|her)\b|\bkys\b"),
        rule(
            0.9,
            "shot hanged hung punched beaten strung & should",
            r"\bshould\s+be\s+(?:shot|hanged|hung|punched|beaten|strung\s+up)\b",
        ),
        rule(0.85, "outside irl & see", r"\bsee\s+you\s+(?:outside|irl)\b"),
    ],
    "insult": [
        # "you're an idiot", "you absolute clown", "you sound unhinged"
        rule(
            0.8,
            all_of(INSULTING, "you ur yourself"),
            rf"\b(?:you(?:'re|r)?|ur|yourself|u)\s+{_FILLER}{{0,4}}(?:[\w']+\s+)?(?:{_ANY})\b",
            negatable=True,
            anchors="you ur yourself",
        ),
        # "are you really this naive", "how clueless you are"
        rule(
            0.8,
            all_of(ADJECTIVES, "are", "you", "this that so"),
            rf"\bare\s+you\s+(?:[\w']+\s+)?(?:this|that|so)\s+(?:{_ADJ})\b",
        ),
        rule(
            0.8,
            all_of(ADJECTIVES, "how", "you they"),
            rf"\bhow\s+(?:{_ADJ})\s+(?:you|they)\s+(?:are|sound|look)\b",
        ),
        # "idiots like you", "these clowns", "full of trolls"
        rule(
            0.8,
            all_of(NOUNS, "like"),
            rf"\b(?:{_NOUN})\s+like\s+(?:you|him|her|them)\b",
            anchors=NOUNS,
        ),
        rule(
            0.72,
            all_of(NOUNS, "these those full"),
            rf"\b(?:these|those)\s+(?:[\w']+\s+)?(?:{_NOUN})\b|\bfull\s+of\s+(?:{_NOUN})\b",
            anchors="these those full",
        ),
        # "your garbage opinions", "your comment is the most self-righteous drivel"
        rule(
            0.72,
            all_of(ADJECTIVES | CONTEMPT, "your"),
            rf"\byour\s+(?:[\w-]+\s+){{0,5}}?(?:{_ADJ}|{_CONTEMPT})\b",
            anchors="your",
        ),
        # "what a pathetic excuse", "the author is a hack", "a complete moron"
        rule(
            0.72,
            all_of(INSULTING | CONTEMPT, "what such"),
            rf"\b(?:what|such)\s+an?\s+(?:[\w']+\s+)?(?:{_ANY}|{_CONTEMPT})\b",
            anchors="what such",
        ),
        rule(
            0.72,
            all_of(INSULTING, "author writer op poster commenter he she they"),
            rf"\b{_SUBJECT}(?:'s|'re|\s+is|\s+are|\s+was|\s+sounds|\s+seems)\s+"
            rf"{_FILLER}{{0,3}}(?:[\w']+\s+)?(?:{_ANY})\b",
            negatable=True,
            anchors="the author writer op poster commenter he she they",
        ),
        rule(0.65, NOUNS, rf"\ban?\s+(?:[\w']+\s+)?(?:{_NOUN})\b", skip_before=SELF_OR_MENTION),
        # a put-down at the end of a clause: "…, troll." "…, genius."
        rule(
            0.72,
            NOUNS | frozenset(VOCATIVES),
            rf",\s*(?:you\s+)?(?:{_NOUN}|{alt(VOCATIVES)})\s*(?:[.!?]|$)",
        ),
        # contempt for what was written: "total bs", "the dumbest take I've read"
        rule(
            0.72,
            all_of(CONTEMPT, "total complete utter absolute pure"),
            rf"\b(?:total|complete|utter|absolute|pure)\s+(?:{_CONTEMPT})\b",
        ),
        rule(
            0.72,
            "most dumbest stupidest silliest worst & read & thing take comment argument idea essay"
            " piece post",
            r"\bthe\s+(?:most\s+\w+|dumbest|stupidest|silliest|worst)\s+(?:[\w']+\s+)?(?:thing|take"
            r"|comment|argument|idea|essay|piece|post)\s+(?:i've|i\s+have|i)\s+(?:ever\s+)?read",
        ),
        rule(
            0.72,
            "brain",
            r"\b(?:anyone|anybody)\s+with\s+(?:a|half\s+a)\s+brain\b|\brequire\s+a\s+brain\b",
        ),
    ],
    "group": [
        # "you people", "people like you", "men like you", "your kind"
        rule(
            0.72,
            "people & you these those like",
            r"\b(?:you|these|those)\s+people\b|\bpeople\s+like\s+(?:you|them|that)\b",
            anchors="you these those people",
        ),
        rule(
            0.72,
            all_of(GROUPS, "like"),
            rf"\b{_GROUP}\s+like\s+(?:you|him|her|them)\b",
            anchors=GROUPS,
        ),
        rule(
            0.72,
            "kind lot tribe ilk types & your you",
            r"\byour\s+(?:kind|lot|tribe|ilk)\b|\byou\s+(?:[\w']+\s+)?types\b",
            anchors="your you",
        ),
        # "liberals are all …", "leftists are nothing but …", "conservatives don't …"
        rule(
            0.72,
            all_of(GROUPS, "are were"),
            rf"\b{_GROUP}\s+(?:are|were)\s+(?:all\b|always\b|never\b|just\b|nothing\s+but\b"
            rf"|incapable\b|the\s+(?:problem|enemy|worst)\b|(?:so\s+)?(?:{_ANY})\b)",
            hedgeable=True,
            anchors=GROUPS,
        ),
        rule(
            0.72,
            all_of(
                GROUPS,
                "always never only can cannot won don do will refuse ruin ruined destroy destroyed",
            ),
            rf"\b{_GROUP}\s+(?:always|never|only\s+care|can't|cannot|won't|don't|do\s+not"
            rf"|will\s+never|refuse\s+to|ruin(?:ed)?|destroy(?:ed)?)\b",
            hedgeable=True,
            anchors=GROUPS,
        ),
        rule(
            0.72,
            "anyone anybody everyone everybody whoever & who & is are",
            rf"\b(?:anyone|anybody|everyone|everybody|whoever)\s+who\b[^.!?]{{0,80}}?\b(?:is|are)"
            rf"\s+(?:[\w']+\s+){{0,2}}(?:part\s+of\s+the\s+problem|complicit|the\s+(?:problem|enemy)"
            rf"|no\s+better|evil|(?:{_ANY})\b)",
        ),
        rule(
            0.72, "trust & never", r"\bnever\s+trust\s+(?:a\s+|an\s+|any\s+)?\w+", anchors="never"
        ),
        rule(0.72, all_of(GROUPS_ANY, "typical"), rf"\btypical\s+(?:[\w']+\s+)?{_GROUP_ANY}\b"),
        # "all liberals", "every single conservative", "all of you": a hint, not enough alone
        rule(
            0.5,
            all_of(GROUPS_ANY, "all every"),
            rf"\b(?:all|every(?:\s+single)?)\s+(?:(?:of\s+)?(?:the|these|those)\s+)?(?:[\w']+\s+)?"
            rf"{_GROUP_ANY}\b",
            hedgeable=True,
            anchors="all every",
        ),
        rule(
            0.5,
            "all every one & you & of",
            r"\b(?:all|every\s+(?:single\s+)?one)\s+of\s+you\b",
            anchors="all every",
        ),
    ],
    "shaming": [
        rule(
            0.72,
            "ashamed embarrassed banned fired kicked removed & should",
            rf"\b(?:you|{_SUBJECT}|whoever\s+wrote\s+this)\s+should\s+(?:[\w']+\s+)?be\s+(?:ashamed"
            r"|embarrassed|banned|fired|kicked\s+out|removed)\b",
        ),
        rule(
            0.72,
            "shame dare",
            r"\bshame\s+on\s+you\b|\bhow\s+dare\s+you\b|\bdon't\s+you\s+dare\b"
            r"|\bhave\s+you\s+no\s+shame\b",
        ),
        rule(0.72, "disgrace", r"\ba\s+disgrace\s+to\b"),
    ],
    "dismissive": [
        rule(0.75, "shut & up it", r"\bshut\s+(?:up|it)\b"),
        rule(0.72, "away & go", r"(?:^|[.!?,]\s*)(?:just\s+)?go\s+away\b"),
        rule(0.72, "lost & get", r"(?:^|[.!?,]\s*)(?:just\s+)?get\s+lost\b"),
        rule(0.72, "hike & take", r"\btake\s+a\s+hike\b"),
        rule(
            0.72,
            "asked cares & nobody one who",
            r"\b(?:nobody|no\s+one)(?:'s)?\s+(?:asked|cares)\b(?=\s*(?:[.!?,]|$|(?:about|for)\s+"
            r"(?:your|you|this|what\s+you)))|\bwho\s+asked\b(?=\s*\?|\s+you)",
        ),
        rule(
            0.72,
            "seriously & takes take & nobody one",
            r"\b(?:nobody|no\s+one)\s+(?:[\w']+\s+)?takes?\s+you\s+seriously\b",
        ),
        rule(
            0.6, "educate grow & yourself up", r"\beducate\s+yourself\b|(?:^|[.!?,]\s*)grow\s+up\b"
        ),
        rule(
            0.72, "life clue grip & get", r"\bget\s+a\s+(?:life|clue)\b|\bget\s+a\s+grip\b(?!\s+on)"
        ),
        rule(
            0.72,
            "cry boo seethe",
            r"\bcry\s+(?:more|harder|about\s+it|me\s+a\s+river)\b|\bboo\s+hoo\b|\bseethe\b",
        ),
        rule(0.6, "cope", r"\bcope\s+(?:harder|more)\b|(?:^|[.!?]\s*)cope\s*[.!]"),
        rule(0.3, "lol lool lolol lmao lmfao rofl", r"\b(?:l+o+l+|lmf?ao+|rofl)\b"),
        rule(
            0.6,
            "boomer spare break yawn",
            r"\bok(?:ay)?\s+boomer\b|\bspare\s+me\b|\bgive\s+me\s+a\s+break\b|\byawn\b",
        ),
        rule(
            0.72,
            "learn book & read some",
            r"\blearn\s+(?:to\s+read|some\s+\w+)\b|\bread\s+a\s+book\b",
        ),
        rule(
            0.72,
            "read & can & you they",
            r"\b(?:you|some\s+of\s+you|they)\s+(?:[\w']+\s+)?can't\s+(?:even\s+)?read\b",
        ),
        rule(
            0.5,
            "research homework & do & your some",
            r"\bdo\s+(?:your|some)\s+(?:own\s+)?(?:research|homework)\b",
        ),
        rule(
            0.6,
            "imagine & thinking believing being writing",
            r"\bimagine\s+(?:thinking|believing|being|writing)\b",
        ),
        rule(
            0.72,
            "proving confirming & point",
            r"\bthanks\s+for\s+(?:proving|confirming)\s+my\s+point\b",
        ),
        rule(0.6, "nice hurt & try who", r"(?:^|[.!?,]\s*)nice\s+try\b|\bwho\s+hurt\s+you\b"),
        rule(0.72, "bless & heart", r"\bbless\s+your\s+heart\b"),
        rule(
            0.65,
            "head & over & your",
            r"\b(?:went|goes|go|flew)\s+(?:right\s+)?over\s+your\s+head\b",
        ),
        rule(0.5, "embarrass embarrassing & yourself", r"\bembarrass(?:ing)?\s+yourself\b"),
        rule(
            0.65,
            "whining crying whinging & stop quit keep",
            r"\b(?:stop|quit)\s+(?:whining|crying|whinging)\b|\bkeep\s+crying\b",
        ),
        rule(
            0.6,
            "back where & go & hole cave rock basement bubble came",
            r"\bgo\s+back\s+to\s+(?:whatever|the|your)\s+(?:[\w']+\s+)?(?:hole|cave|rock|basement"
            r"|bubble)\b|\bgo\s+back\s+(?:to\s+)?where\s+you\s+came\s+from\b",
        ),
        rule(0.6, "typical", r"(?:^|[.!?]\s+)typical\b"),
    ],
    "bad_faith": [
        rule(
            0.72,
            "lying trolling gaslighting deflecting manipulating faith & you they he she re",
            r"\b(?:you|they|he|she)(?:'re|\s+are|\s+is|'s)\s+(?:[\w']+\s+)?(?:lying|trolling"
            r"|gaslighting|deflecting|manipulating|arguing\s+in\s+bad\s+faith)\b",
            negatable=True,
        ),
        rule(
            0.72,
            "lying trolling gaslighting deflecting pretending & stop",
            r"\bstop\s+(?:lying|trolling|gaslighting|deflecting|pretending)\b",
        ),
        rule(
            0.72,
            "concern virtue pearl & troll trolls trolling trolled signal signalling signaling"
            " clutch clutching",
            r"\b(?:concern\s+troll\w*|virtue[- ]signal\w*|pearl[- ]clutch\w*)\b",
        ),
        rule(
            0.72,
            "clearly obviously evidently even & read understand understood get & you",
            r"\byou\s+(?:clearly|obviously|evidently|didn't\s+even|did\s+not\s+even|can't\s+even)"
            r"\s+(?:[\w']+\s+)?(?:read|understand|understood|get\s+it)\b",
            anchors="you",
        ),
        rule(0.72, "read & even actually & did", r"\bdid\s+you\s+(?:even|actually)\s+read\b"),
        rule(
            0.6,
            "care & don & actually even really",
            r"\byou\s+don't\s+(?:actually|even|really)\s+care\s+about\b",
        ),
        rule(0.6, "agenda & your", r"\b(?:what's|what\s+is)\s+your\s+(?:real\s+)?agenda\b"),
        rule(
            0.72,
            "paid paying & you",
            r"\b(?:are\s+you|who(?:'s|\s+is))\s+(?:being\s+)?pa(?:id|ying)\s+(?:you\s+)?to\b",
        ),
        rule(
            0.6,
            "fake & outrage concern tears empathy sympathy sincerity",
            r"\bfake\s+(?:outrage|concern|tears|empathy|sympathy|sincerity)\b",
        ),
        rule(
            0.6,
            "victim & act card play plays playing",
            r"\bvictim\s+(?:act|card)\b|\bplay(?:s|ing)?\s+the\s+victim\b",
        ),
    ],
}
RULES.update(CONTEMPT_RULES)
RULE_ORDER = ("threat", "insult", "group", "shaming", "dismissive", "bad_faith", *CONTEMPT_ORDER)


# Gating: every distinct ``needs`` group gets a bit; a text's words set the bits of the
# groups they belong to, and a rule runs only when all of its groups' bits are set.
_GROUP_BITS, WORD_BITS, RULE_MASKS = {}, {}, []
for _code in RULE_ORDER:
    for _rule_ in RULES[_code]:
        _mask = 0
        for _group in _rule_.needs:
            _mask |= _GROUP_BITS.setdefault(_group, 1 << len(_GROUP_BITS))
        RULE_MASKS.append((_code, _rule_, _mask))
for _group, _bit in _GROUP_BITS.items():
    for _word in _group:
        WORD_BITS[_word] = WORD_BITS.get(_word, 0) | _bit
GATE_WORDS = frozenset(WORD_BITS)
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
