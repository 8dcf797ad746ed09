"""Rules for contempt without a swear word, one signal for each category of docs/heat.md.

Each rule is written for its category as the labelling guide defines it, aimed at a
person in the thread: mocking them, telling them to leave or be quiet, judging
who they are rather than what they argued, threatening to expose them, writing
them off for who they are, casting them as an enemy.  The civil counterparts the
guide lists stay quiet: the same words said of oneself ("I was a coward"), of a
job or an institution ("my brother is a cop"), or quoted to object to them.

This module holds the rules about how a person is spoken to (mockery, silencing,
condemning); ``heat.contempt_identity`` those about who they are (exposure, identity,
enemy).
"""

import re

from .contempt_identity import IDENTITY_RULES
from .rulekit import rule

# Someone speaking of their own steps: "I'll log off", "I'm going to sit this one out".
SELF_STEP = re.compile(r"\b(?:i|i'm|i'll|i'd|i've|me|we|we're|we'll|let's|myself)\b[\w\s',]{0,24}$")

CONTEMPT_RULES = {
    # Sarcasm or ridicule aimed at the person.
    "mockery": [
        rule(
            0.8,
            "congrats congratulations bravo & on for",
            # "Congrats to the council on discovering…" mocks an institution: civil.
            r"\b(?:congrat(?:s|ulations)|bravo)\b(?!\s+to\s+(?:the|our|this|that)\b)"
            r"[^.!?]{0,40}?\b(?:on|for)\s+(?:\w+\s+)?"
            r"(?:discovering|figuring|realizing|finally|learning|noticing|inventing|reinventing"
            r"|saying|stating|discovery)",
            anchors="congrats congratulations bravo",
        ),
        rule(
            0.8,
            "medal cookie trophy sticker star",
            r"\b(?:want|get|deserve|earn(?:ed)?|here's|have)\s+a\s+(?:\w+\s+)?(?:medal|cookie"
            r"|trophy|sticker|gold\s+star)\b",
        ),
        rule(0.6, "look", r"(?:^|[.!?]\s*)oh,?\s+look\b"),
        rule(0.6, "schedule cue", r"\bright\s+on\s+(?:schedule|cue|time)\b|\blike\s+clockwork\b"),
        rule(
            0.72,
            "tell enlighten explain & us more",
            r"\b(?:please\s+)?(?:tell|explain\s+to)\s+(?:us|me)\s+more\s+about\b|\benlighten\s+us\b"
            r"|\bplease\s+(?:tell|explain\s+to)\s+us\b",
        ),
        rule(0.75, "brain brained brains", r"\b(?:galaxy|big|smooth)[- ]brain(?:ed|s)?\b"),
        rule(
            0.75,
            "armchair keyboard",
            r"\b(?:from\s+(?:your|the|his|her)\s+)?(?:armchair|keyboard)\s*(?:activist|revolutionary"
            r"|expert|general|organizer|warrior|quarterback|theorist)?s?\b",
        ),
        rule(
            0.8,
            "whose who & this & from",
            r"\bthis\s+from\s+(?:a|the|someone)\b[^.!?]{0,40}\bwho",
            anchors="this",
        ),
        rule(
            0.8,
            "forgot & you",
            r"\b(?:oh\s+)?(?:sorry|my\s+bad|oops),?\s+i\s+forgot\s+you(?:'re|\s+are|\s+were)\b",
        ),
        rule(
            0.72,
            "admire love & your",
            r"\bi\s+(?:admire|love|respect)\s+your\s+(?:commitment|dedication|confidence|ability"
            r"|courage|talent)\s+(?:to|for|in)\b",
        ),
        rule(0.72, "get & we & you", r"\bwe\s+(?:all\s+)?get\s+it,?\s+you\b"),
        rule(0.85, "summer & child", r"\bsweet\s+summer\s+child\b"),
        rule(0.5, "must & nice", r"\bmust\s+be\s+nice\b"),
        rule(
            0.72,
            "spoken arrived weighed & has",
            r"\b(?:the\s+)?(?:expert|genius|professor|resident\s+\w+)\s+has\s+(?:spoken|arrived"
            r"|weighed\s+in)\b|\bhas\s+arrived\s+to\s+(?:tell|explain|lecture|save)\b",
        ),
        rule(0.72, "comprehension", r"\breading\s+comprehension\b"),
        rule(
            0.72,
            "cute adorable precious",
            r"\b(?:how|so|that's|it's|that\s+is)\s+(?:\w+\s+)?(?:cute|adorable|precious)\b",
            skip_before=re.compile(r"\b(?:baby|dog|cat|kid|puppy|photo)\b[^.!?]*$"),
        ),
        rule(
            0.72,
            "funnier worse & your",
            r"\b(?:funnier|worse|more\s+embarrassing),?\s+your\b",
        ),
        rule(
            0.72,
            "tiktok twitter meme youtube podcast documentary & learn read saw watched got heard",
            r"\b(?:learn|read|see|saw|watch(?:ed)?|get|got|hear(?:d)?)\s+(?:that|this|it)\s+(?:on|from"
            r"|in)\s+(?:a\s+)?(?:tiktok|twitter|meme|youtube|podcast|documentary)\b"
            r"|\byou\s+watched\s+a\s+(?:documentary|video|youtube|tiktok)\b",
        ),
        rule(
            0.72,
            "wow & you such so",
            r"(?:^|[.!?]\s*)wow,?\s+(?:just\s+)?(?:wow|such|so|you|what)\b",
        ),
        rule(
            0.72,
            "idea & whose",
            r"\bwhose\s+idea\s+of\s+(?:\w+\s+){1,3}is\b",
        ),
        # A mock title for the person ("our resident expert" can be meant, so it is not one).
        rule(
            0.7,
            "resident appointed captain fearless",
            r"\bresident\s+genius\b|\bself-appointed\s+(?:conscience|expert|voice|judge|spokesperson)\b"
            r"|\bcaptain\s+obvious\b"
            r"|\bfearless\s+(?:leader|captain)\b",
        ),
        # Stock sarcasm that belittles whoever it is said to.
        rule(
            0.7,
            "said violin crayons riveted brave cute masterclass must",
            r"\bsaid\s+no\s+one\s+ever\b|\btiny\s+violin\b|\bout\s+of\s+crayons\b"
            r"|\bwe're\s+(?:all\s+)?riveted\b|\bso\s+brave\s+of\s+you"
            r"\b|\bcute\s+that\s+(?:you|u)\b|\bmasterclass\s+in\s+"
            r"(?:missing|ignoring|not)\b|\byou\s+must\s+be\s+(?:exhausting|fun|a\s+delight)\b",
        ),
    ],
    # Telling someone to be quiet, leave, log off, stay away.
    "silencing": [
        rule(0.8, "log & off", r"\blog\s+off\b", skip_before=SELF_STEP),
        rule(0.75, "touch & grass", r"\btouch\s+(?:some\s+)?grass\b"),
        rule(0.8, "sit & out", r"\bsit\s+this\s+(?:one\s+)?out\b", skip_before=SELF_STEP),
        rule(0.72, "sit & down", r"(?:^|[.!?,]\s*)(?:just\s+|please\s+)?sit\s+down\b"),
        rule(0.8, "asked & nobody one", r"\b(?:nobody|no\s+one)\s+asked\s+(?:you|for\s+your)\b"),
        rule(0.75, "lane & your", r"\b(?:stay|keep|get\s+back)\s+in\s+your\s+(?:own\s+)?lane\b"),
        rule(
            0.8,
            "isn wasn not never & for about & you",
            r"\b(?:is|was)(?:\s+not|n't|\s+never)\s+(?:\w+\s+)?(?:for|about)\s+(?:you|people\s+like"
            r"\s+you)\b",
            anchors="is was isn wasn",
        ),
        rule(
            0.72,
            "leave out away & get stay just please honestly so leave",
            r"(?:^|[.!?,]\s*)(?:please\s+|just\s+|honestly\s+|so\s+|now\s+)?(?:leave|get\s+out"
            r"|stay\s+(?:away|out))(?:\s+(?:now|already|then|this\s+\w+|the\s+\w+|and\s+\w+(?:\s+\w+)?"
            r"|us\s+alone))?\s*(?:[.!?]|$)",
        ),
        rule(
            0.8,
            "should & leave log go stop be stay shut",
            r"\byou\s+(?:all\s+)?should\s+(?:just\s+|really\s+|probably\s+|honestly\s+)?(?:leave|log"
            r"\s+off|go(?:\s+away|\s+elsewhere)?|stop\s+(?:posting|commenting|talking|replying)"
            r"|be\s+quiet|stay\s+(?:out|away|quiet|home)|shut)\b",
            anchors="you",
        ),
        rule(
            0.8,
            "reply respond comment post come show & again anymore here",
            r"\b(?:don't|do\s+not|never)\s+(?:\w+\s+)?(?:reply|respond|comment|post|come\s+back"
            r"|show\s+your\s+face)\b[^.!?]{0,30}\b(?:again|anymore|here)\b",
            anchors="don do never",
        ),
        rule(
            0.72,
            "posting commenting replying talking typing & stop",
            r"\b(?:stop|quit)\s+(?:posting|commenting|replying|talking|typing)\b",
            skip_before=SELF_STEP,
        ),
        rule(
            0.85,
            "yourself & keep save",
            r"\b(?:keep|save)\s+(?:your|ur)\s+(?:\w+\s+)?(?:opinions?|thoughts|takes?|comments?"
            r"|views|hot\s+takes)\s+to\s+yourself\b",
        ),
        rule(
            0.72,
            "find & somewhere someplace another else",
            r"\bfind\s+(?:yourself\s+)?(?:somewhere|someplace|another\s+(?:space|group|thread|place"
            r"|forum|chapter|union|movement|hobby|site))\b",
        ),
        rule(
            0.85,
            "welcome wanted done & you",
            r"\byou(?:'re|\s+are)\s+(?:not\s+welcome|not\s+wanted|done\s+here|unwelcome)\b",
        ),
        rule(
            0.85,
            "wants needs & nobody one",
            r"\b(?:nobody|no\s+one)\s+(?:here\s+)?(?:wants|needs)\s+(?:you|your|people\s+like)\b",
        ),
        rule(
            0.8,
            "need want & don & you your kind",
            r"\bwe\s+(?:don't|do\s+not)\s+(?:need|want)\s+(?:you|your|people\s+like)\b",
        ),
        rule(
            0.75,
            "ban remove kick rid & mods mod him her them guy person",
            r"\bmods?,?\s+(?:please\s+)?(?:just\s+)?(?:ban|remove|kick|get\s+rid\s+of|boot)\b"
            r"|\b(?:ban|kick|boot|get\s+rid\s+of)\s+(?:him|her|them|this\s+(?:guy|person|troll|user))\b",
        ),
        rule(
            0.72,
            "else elsewhere",
            r"\b(?:go|take\s+(?:it|this|that|your\s+\w+))\b[^.!?]{0,40}\b(?:somewhere\s+else"
            r"|elsewhere)\b",
            skip_before=SELF_STEP,
        ),
        rule(0.75, "quiet pipe zip & be down it", r"\bbe\s+quiet\b|\bpipe\s+down\b|\bzip\s+it\b"),
        rule(0.8, "let invited & who", r"\bwho\s+(?:let|invited)\s+(?:you|him|her|them|this)\b"),
    ],
    # A verdict on the person's character, not on what they argued.
    "condemning": [
        rule(
            0.8,
            "disgrace joke danger menace cancer poison problem embarrassment stain liability plague"
            " fraud bully person human being & you re are",
            r"\byou(?:'re|\s+are)\s+(?:just\s+|really\s+|honestly\s+)?(?:a\s+|an\s+|the\s+)?"
            r"(?:\w+\s+)?(?:disgrace|joke|danger|menace|cancer|poison|problem|embarrassment|stain"
            r"|liability|plague|fraud|bully|(?:bad|terrible|horrible|awful|sad|small|ugly|hateful)"
            r"\s+(?:person|human(?:\s+being)?|man|woman))\b",
            negatable=True,
            anchors="you",
        ),
        rule(
            0.8,
            "poison poisons ruin ruins destroy destroys infect rot wreck wrecks & you",
            r"\b(?:you|people\s+like\s+you)\s+(?:\w+\s+)?(?:poison|ruin|destroy|infect|rot|wreck)s?"
            r"\s+(?:every|everything|this|the|our|any|each)\b",
        ),
        rule(
            0.8,
            "principles integrity shame morals spine soul conscience decency empathy heart"
            " values & you",
            r"\byou\s+(?:have|'ve\s+got|got|don't\s+have|do\s+not\s+have)\s+(?:no|any)\s+"
            r"(?:\w+\s+)?(?:principles|integrity|shame|morals|spine|soul|conscience|decency"
            r"|empathy|heart|values)\b"
            r"|\byou\s+don't\s+have\s+(?:principles|values|convictions|politics)\b",
            anchors="you",
        ),
        rule(
            0.8,
            "core",
            r"\b(?:rotten|evil|toxic|corrupt|selfish|cruel)\s+to\s+the\s+core\b",
            anchors="rotten evil toxic corrupt selfish cruel",
        ),
        rule(
            0.72, "wrong & everything", r"\beverything\s+(?:that's\s+|that\s+is\s+)?wrong\s+with\b"
        ),
        rule(
            0.75,
            "person human monster comrade organizer & kind what",
            r"\bwhat\s+kind\s+of\s+(?:a\s+)?(?:person|human(?:\s+being)?|monster|comrade|organizer)"
            r"\s+(?:would|does|says|are)\b",
        ),
        rule(
            0.85,
            "joke waste excuse & human person comrade organizer man woman being",
            r"\b(?:joke|waste|excuse|disgrace)\s+of\s+a\s+(?:human(?:\s+being)?|person|comrade"
            r"|organizer|man|woman|member)\b",
        ),
        rule(
            0.8,
            "toxic rotten evil cruel selfish heartless soulless petty spiteful vindictive dangerous"
            " vicious poisonous malicious callous & you re are",
            r"\byou(?:'re|\s+are)\s+(?:so\s+|just\s+|really\s+|truly\s+|honestly\s+|deeply\s+)?"
            r"(?:toxic|rotten|evil|cruel|selfish|heartless|soulless|petty|spiteful|vindictive"
            r"|dangerous|vicious|poisonous|malicious|callous)\b",
            negatable=True,
        ),
        rule(
            0.75,
            "care & only just & you",
            r"\byou\s+(?:only|just|really\s+only)\s+care\s+about\s+(?:yourself|your\s+own|clout"
            r"|attention|looking|being\s+right|your\s+(?:image|brand|career|ego))\b",
        ),
        rule(
            0.75,
            "drama attention clout being fighting tearing hurting & love enjoy live off & you",
            r"\byou\s+(?:just\s+)?(?:love|enjoy|live\s+for|get\s+off\s+on)\s+(?:the\s+)?(?:drama"
            r"|attention|clout|being\s+(?:a\s+victim|cruel|mean|right)|fighting|tearing|hurting)\b",
        ),
        rule(
            0.72,
            "grudges ego clout & you have",
            r"\byou\s+(?:have|'ve\s+got)\s+(?:\w+\s+)?(?:grudges|an\s+ego|clout\s+goals)\b"
            r"|\ball\s+ego\b",
            anchors="you all",
        ),
    ],
    **IDENTITY_RULES,
}
CONTEMPT_ORDER = ("mockery", "silencing", "condemning", "exposure", "identity", "enemy")
