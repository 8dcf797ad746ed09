"""Contempt rules about who a person is, the categories of docs/heat.md that reach past
the argument to the person's life and place: threatening to expose them (their
employer, family, messages), writing them off for who they are (age, gender, class,
origin), and casting them as an enemy (cop, fed, scab, class traitor).

``heat.contempt`` holds the rules about how a person is spoken to, and joins both.
"""

import re

from .rulekit import all_of, alt, rule

ENEMY_NOUNS = """
fed feds narc narcs cop cops pig pigs scab scabs bootlicker bootlickers informant informants
snitch snitches collaborator collaborators plant plants glowie glowies stooge stooges lackey
lackeys quisling quislings infiltrator infiltrators provocateur provocateurs
""".split()
_ENEMY = rf"(?:class\s+traitor|company\s+(?:man|stooge)|{alt(ENEMY_NOUNS)})"
ENEMY_WORDS = frozenset(ENEMY_NOUNS) | {"traitor"}
# Whom a threat to expose is addressed to: the places a person's life is bound to.
LIFE_WORDS = frozenset(
    """
    employer boss landlord job workplace manager school university department chair funder funders
    family wife husband partner parent parents kid kids chapter union coworker coworkers colleagues
    hr church congregation mom dad mother father followers members comrades org organization
    """.split()
)
_LIFE = rf"(?:probation\s+officer|{alt(LIFE_WORDS)})"
_DISCLOSE = r"(?:release|drop|send|forward|share|e-?mail|post|leak|publish|dump|hand|show)\w*"
_DISCLOSE_WORDS = """
release releasing drop dropping send sending forward forwarding share sharing email emailing post
posting leak leaking publish publishing dump dumping hand handing show showing
""".split()
# What exposes a person: kept records, or their own words and details ("your messages").
_EXPOSING = (
    r"(?:(?:screenshots?|screencaps?|receipts)(?!\s+of\s+(?:the|a|an|our|my)\b)|your\s+(?:[\w']+\s+)"
    r"{0,2}?(?:messages|texts|emails|dms|posts|comments|history|chats?|recordings|logs))"
)
_EXPOSING_WORDS = """
screenshot screenshots screencap screencaps receipts dms messages texts emails posts comments
history chat chats recordings logs
""".split()
_IDENTITY = (
    r"(?:guy|man|men|woman|women|dude|boomer|boomers|zoomer|zoomers|millennial|kid|kids|student"
    r"|students|academic|professor|landlord|homeowner|white\s+\w+|straight\s+\w+|cis\s+\w+"
    r"|rich\s+\w+|tourist|transplant|newcomer|suburbanite|tech\s+bro|grad\s+student|one)"
)
IDENTITY_WORDS = frozenset(
    "guy man men woman women dude boomer boomers zoomer zoomers millennial kid kids student"
    " students academic professor landlord homeowner white straight cis rich tourist"
    " transplant newcomer suburbanite tech grad one".split()
)


IDENTITY_RULES = {
    # Threatening to reveal identity, employer, address or private messages.
    "exposure": [
        rule(
            0.85,
            "screenshots screenshot screenshotted receipts screencaps",
            r"\b(?:screenshots?|receipts|screencaps?)\s+(?:\w+\s+)?(?:taken|saved|made|secured"
            r"|ready|coming|are\s+(?:saved|coming|ready))\b"
            r"|\b(?:i|we)(?:'ve|\s+have)?\s+(?:got\s+)?(?:the\s+)?(?:screenshots|receipts)\b"
            r"|\bscreenshott?ed\b",
        ),
        rule(
            0.85,
            all_of(LIFE_WORDS, "your ur"),
            rf"\b(?:your|ur)\s+(?:\w+\s+)?{_LIFE}\s+(?:would|will|might|is\s+going\s+to|should"
            rf"|are\s+going\s+to|'ll)\s+(?:\w+\s+){{0,3}}?(?:think|know|love|like|hear|see|find"
            rf"\s+out|be\s+interested|want\s+to\s+know|learn|enjoy|say)\b"
            rf"|\b(?:what|how)\s+(?:would|will|might)\s+your\s+(?:\w+\s+)?{_LIFE}\s+(?:think|say|feel)\b",
        ),
        rule(0.75, "wonder & your", r"\bi\s+wonder\s+(?:what|how|if|whether)\s+your\b"),
        rule(
            0.85,
            "expose dox doxx leak publish out name",
            r"\b(?:i'll|i\s+will|i'm\s+going\s+to|i\s+am\s+going\s+to|we'll|we\s+will|gonna|i\s+could"
            r"|i\s+can|happy\s+to|don't\s+make\s+me|about\s+to)\s+(?:\w+\s+)?(?:expose|doxx?|leak"
            r"|publish|out|name)\s+(?:you|u|your|him|her|them)\b",
            anchors="i we gonna happy don about",
        ),
        rule(
            0.85,
            "post share forward send release & texts messages dms chats emails name address"
            " screenshots receipts posts",
            r"\b(?:post|share|forward|send|release|publish)\w*\s+(?:all\s+)?(?:your|the)\s+(?:\w+\s+)?"
            r"(?:texts|messages|dms|chats|emails|real\s+name|name|address|screenshots|receipts"
            r"|old\s+posts)\b",
            skip_before=re.compile(r"\b(?:don't|never|not|please|can\s+you|could\s+you)\s+$"),
        ),
        rule(
            0.8,
            "know find hear learn & everyone everybody",
            r"\b(?:everyone|everybody)(?:'s|\s+is)?\s+(?:\w+\s+)?(?:going\s+to|gonna|will)\s+"
            r"(?:\w+\s+)?(?:know|find\s+out|hear|see|learn)\b",
        ),
        rule(
            0.6,
            "talking wait warned warning & keep just been consider",
            r"\bkeep\s+talking\b|\bjust\s+wait\b|\byou've\s+been\s+warned\b"
            r"|\bconsider\s+this\s+(?:a|your)\s+(?:\w+\s+)?warning\b",
        ),
        rule(
            0.8,
            "hearing & about from",
            r"\b(?:will|are\s+going\s+to|'ll|is\s+going\s+to)\s+be\s+hearing\s+(?:about\s+this"
            r"|from\s+(?:me|us))\b",
        ),
        rule(
            0.85,
            "know & who your",
            r"\bi\s+know\s+(?:about\s+)?(?:who\s+you\s+(?:really\s+)?(?:are|work\s+for)|your\s+(?:real"
            r"\s+name|probation|history|past|record|address|employer|job|secret|family))\b",
        ),
        rule(0.5, "else & or", r"\bor\s+else\b"),
        rule(
            0.8,
            "public out goes going go & your",
            r"\byour\s+(?:[\w']+\s+){0,2}(?:name|address|dms|messages|texts|photo|tweets|posts"
            r"|usernames|history|account|comments?|secrets?)\b[^.!?]{0,40}\b(?:goes|going|go)\s+"
            r"(?:public|out|in)\b",
        ),
        rule(
            0.8,
            "know & at in from & your",
            r"\bi\s+know\s+(?:people|someone|folks)\s+(?:at|in|from)\s+your\b",
        ),
        rule(
            0.85,
            "send sending forward forwarding email emailing show showing & to",
            r"\b(?:send|sending|forward|forwarding|email|emailing|show|showing)\s+(?:all\s+of\s+)?"
            r"(?:this|it|these|that|your\s+[\w']+(?:\s+\w+)?)\s+to\s+your\b",
            anchors="send sending forward forwarding email emailing show showing",
        ),
        rule(
            0.6,
            "where & you & work volunteer study teach",
            r"\bwhere\s+you\s+(?:work|volunteer|study|teach)\b",
        ),
        rule(
            0.72,
            "would might found & like love want out & know see hear about",
            r"\b(?:would|might)\s+(?:like|love|want)\s+to\s+(?:know|see|hear)\s+(?:who|what|how"
            r"|about)\s+you\b|\bfound\s+out\s+about\s+your\b",
        ),
        rule(0.8, "enough dirt & on & you", r"\b(?:enough|dirt)\s+on\s+you\b"),
        rule(0.6, "make & don & me", r"\bdon't\s+make\s+me\b"),
        rule(
            0.85,
            all_of(
                LIFE_WORDS,
                "report reporting contact contacting call calling tell telling email emailing"
                " message messaging tag tagging write writing",
            ),
            rf"\b(?:report(?:ing)?\s+you\s+to|contact(?:ing)?|call(?:ing)?|tell(?:ing)?|email(?:ing)?"
            rf"|messag(?:e|ing)|tag(?:ging)?|writ(?:e|ing)\s+to)\s+your\s+(?:\w+\s+)?{_LIFE}\b",
        ),
        # The speaker handing over what would expose the person: screenshots, recordings, logs,
        # or their own messages and history ("my screenshots" and reports to the mods stay civil).
        rule(
            0.7,
            all_of(_DISCLOSE_WORDS, _EXPOSING_WORDS),
            rf"\b(?:i|i'm|i'll|i\s+will|i\s+am|we'll|we\s+will|we're|me)\s+(?:[\w']+\s+){{0,3}}?"
            rf"{_DISCLOSE}\s+(?:(?!my\b|our\b)[\w']+\s+){{0,4}}?{_EXPOSING}\b"
            r"(?![^.!?]{0,40}\b(?:mods|moderators?|admins?)\b)",
        ),
        # A condition with a threat after it: "one more word and I…".
        rule(
            0.7,
            "one & and",
            r"\b(?:one\s+more\s+(?:word|post|thing|comment|reply)|(?:post|say|write)\s+one\s+more"
            r"\s+(?:\w+\s+)?(?:thing|word|comment|post))\s+and\s+(?:i|i'm|i'll|we|we're|we'll)\b",
        ),
        # Taking away someone's anonymity, or watching them to do so.
        rule(
            0.7,
            "stay anonymous mask keep keeping follow",
            r"\b(?:won't|will\s+not|isn't\s+going\s+to)\s+stay\s+(?:anonymous|private|secret|hidden)\b"
            r"|\bnever\s+as\s+anonymous\s+as\b|\bthe\s+mask\s+comes\s+off\b"
            r"|\bkeep(?:ing)?\s+(?:notes|tabs|a\s+file|a\s+list)\s+on\s+(?:you|u)\b"
            r"|\bfollow\s+you\s+to\s+(?:every|your|the\s+next)\s+(?:\w+\s+)?(?:job|interview"
            r"|meeting|workplace|employer)",
        ),
        rule(
            0.7,
            "know & who",
            r"\b(?:i|we)\s+(?:do\s+|already\s+|all\s+)?know\s+(?:exactly\s+)?who\s+you\s+"
            r"(?:really\s+)?(?:are|work\s+for)\b",
        ),
    ],
    # Writing someone off for who they are: age, gender, class, origin, job, language.
    "identity": [
        rule(
            0.8,
            "boomer zoomer millennial grandpa grandma gramps karen kid & ok okay",
            r"\bok(?:ay)?,?\s+(?:boomer|zoomer|millennial|grandpa|grandma|gramps|karen|kid)\b",
        ),
        rule(
            0.8,
            all_of(IDENTITY_WORDS, "course naturally figures"),
            rf"\b(?:of\s+course|naturally|figures|shocker)[,:]?\s+(?:the|a|an|some)\s+(?:[\w-]+\s+)"
            rf"{{0,4}}?{_IDENTITY}\s+(?:with|who|from|in|thinks?|would|says?|wants?)\b",
            anchors="of naturally figures shocker",
        ),
        rule(
            0.8,
            all_of(IDENTITY_WORDS, "says"),
            rf"(?:^|[.!?,]\s*)says\s+the\s+(?:[\w-]+\s+){{0,3}}?{_IDENTITY}\b",
        ),
        rule(0.8, "spoken & like", r"\bspoken\s+like\s+(?:a|an|the|someone|somebody|every)\b"),
        rule(
            0.8,
            "young old white privileged rich online man boomer zoomer kid child student tourist"
            " transplant newcomer landlord homeowner & you re are",
            r"\byou(?:'re|\s+are)\s+(?:too\s+(?:young|old|white|privileged|rich|online)|(?:just\s+)?"
            r"an?\s+(?:\w+\s+)?(?:man|boomer|zoomer|kid|child|student|tourist|transplant|newcomer"
            r"|landlord|homeowner))\b[^.!?]{0,60}\b(?:so|to|can't|don't|wouldn't|won't|never"
            r"|understand|get\s+it|know|opinion|care|cares|matter|say)\b",
            anchors="you",
        ),
        rule(
            0.8,
            "man white boomer straight cis landlord academic student outsider nonmember non rich"
            " & as being & you",
            r"\b(?:as|being)\s+an?\s+(?:man|white\s+\w+|boomer|straight\s+\w+|cis\s+\w+|landlord"
            r"|academic|student|outsider|non-?member|rich\s+\w+)\b[^.!?]{0,30}\byou\s+(?:don't"
            r"|can't|have\s+no|have\s+nothing|shouldn't|should\s+not|wouldn't|will\s+never|never)\b",
        ),
        rule(
            0.8,
            "tiktok twitter reddit campus suburb suburbs dorm country mansion ivory tenure office"
            " & go back",
            r"\bgo\s+back\s+to\s+(?:tiktok|twitter|reddit|your\s+(?:\w+\s+)?(?:campus|suburbs?|dorm"
            r"|country|mansion|ivory\s+tower|tenure|office|gated))\b",
        ),
        rule(
            0.75,
            "mansplain mansplaining whitesplain whitesplaining energy logic take brain & boomer"
            " zoomer privileged mansplain mansplaining whitesplain whitesplaining",
            r"\b(?:mansplain\w*|whitesplain\w*|(?:boomer|zoomer|millennial|privileged)\s+(?:take"
            r"|energy|logic|brain|nonsense))\b",
        ),
        rule(
            0.75,
            "why & cares listens care listen & anyone anybody",
            r"\bwhy\s+(?:would\s+|should\s+)?(?:anyone|anybody)\s+(?:would\s+|should\s+)?(?:cares?"
            r"|listens?|take\s+you)\b",
        ),
        rule(
            0.8,
            "cares & nobody one what",
            r"\b(?:nobody|no\s+one)\s+cares\s+what\s+(?:an?|you|someone|people)\b",
        ),
        rule(
            0.72,
            "another & telling explaining lecturing trying weighing mansplaining",
            r"\b(?:another|yet\s+another)\s+(?:[\w-]+\s+){1,4}?(?:telling|explaining|lecturing"
            r"|trying|weighing|mansplaining)\b",
            anchors="another yet",
        ),
        rule(
            0.8,
            "opinion take view voice input & count matter irrelevant & your",
            r"\byour\s+(?:opinion|take|view|voice|input)\s+(?:[\w']+\s+){0,3}?(?:doesn't|does\s+not"
            r"|don't)\s+(?:count|matter)\b|\byour\s+(?:opinion|take|view)\s+is\s+irrelevant\b",
        ),
        rule(
            0.65,
            "so course & you re are",
            r"\byou(?:'re|\s+are)\s+(?:just\s+)?(?:an?\s+)?(?!right|correct|wrong|welcome|not|so\b)"
            r"(?:[\w-]+\s+){0,3}?[\w-]+,\s+(?:so\s+(?:obviously\s+|of\s+course\s+)?(?:you|your)"
            r"|of\s+course\s+you)\b",
            anchors="you",
        ),
        rule(
            0.8,
            "allowed business & talk talking speak speaking comment commenting weighing",
            r"\b(?:shouldn't\s+be\s+allowed\s+to|have\s+no\s+business|has\s+no\s+business)\s+"
            r"(?:talking|speaking|commenting|weighing|to\s+(?:talk|speak|comment))\b",
        ),
        rule(
            0.8,
            "know & about & what",
            r"\bwhat\s+(?:would|does|do|could)\s+(?:a|an|some)\s+(?:[\w-]+\s+){0,4}?know\s+about\b",
        ),
        rule(
            0.8,
            "because & think say believe thinks says",
            r"\b(?:only|just)\s+(?:think|say|believe)s?\s+(?:that|this|so)\s+because\s+you(?:'re"
            r"|\s+are)\b",
        ),
        rule(
            0.72,
            "learn english speak & to",
            r"\blearn\s+(?:to\s+speak\s+|proper\s+)?english\b",
            anchors="learn",
        ),
        rule(
            0.72,
            "found & the",
            rf"(?:^|[.!?,]\s*)found\s+the\s+(?:\w+\s+)?(?:{_IDENTITY}|liberal|lib|tankie|centrist"
            r"|landlord|boomer)\b",
        ),
    ],
    # Casting a participant as an enemy: cop, fed, narc, scab, class traitor, bootlicker…
    "enemy": [
        rule(
            0.85,
            all_of(ENEMY_WORDS, "you re are sound talk must seem he she they s"),
            rf"\b(?:you|he|she|they)(?:'re|'s|\s+are|\s+is|\s+sound(?:s)?|\s+talk(?:s)?|\s+must\s+be"
            rf"|\s+seem(?:s)?|\s+act(?:s)?)\s+(?:like\s+)?(?:a\s+|an\s+|the\s+|such\s+a\s+)?"
            rf"(?:[\w-]+\s+){{0,2}}?{_ENEMY}\b",
            negatable=True,
        ),
        rule(
            0.85,
            all_of(
                ENEMY_WORDS,
                "only spoken sounds reads typical found hi hello ok okay thanks"
                " nice written said posted by resident",
            ),
            rf"\b(?:only|spoken\s+like|sounds\s+like|reads\s+like|typical|found|written\s+by|said\s+by"
            rf"|posted\s+by|resident|nice\s+try)\s+(?:a\s+|an\s+|the\s+|our\s+)?(?:[\w-]+\s+)?{_ENEMY}\b",
        ),
        rule(
            0.85,
            "officer & hi hello hey evening morning ok okay yes sure thanks",
            r"\b(?:hi|hello|hey|evening|morning|ok(?:ay)?|yes|sure|thanks)\s*,?\s+officer\b",
        ),
        rule(
            0.85,
            all_of(
                ENEMY_WORDS,
                "behavior behaviour energy talk logic tactics mentality brain vibes move",
            ),
            rf"\b{_ENEMY}\s+(?:behaviou?r|energy|talk|logic|tactics|mentality|brain|vibes|move)\b",
        ),
        rule(
            0.85,
            ENEMY_WORDS,
            rf"(?:^|[.!?]\s*)(?:what\s+a\s+|such\s+a\s+)?(?:[\w-]+\s+)?{_ENEMY}\s*(?:[.!?]|$)",
            skip_before=re.compile(
                r"\b(?:i|i'm|was|were|am|my|our|the|his|her|their)\s+[\w-]*\s*$"
            ),
        ),
        rule(0.72, "glow glowie glowies glows", r"\b(?:you|he|she|they)\s+glows?\b|\bglowies?\b"),
        rule(
            0.8,
            "agency department precinct work working report reporting & who which",
            r"\bwhich\s+(?:agency|department|precinct)\b|\bwho\s+(?:do\s+you|are\s+you)\s+(?:really"
            r"\s+)?(?:work(?:ing)?|report(?:ing)?)\s+for\b",
            anchors="which who",
        ),
        rule(
            0.8,
            "bosses landlords cops police state feds company management enemy side & work speak"
            " shill carry & for",
            r"\byou\s+(?:\w+\s+)?(?:work|speak|shill|carry\s+water)\s+for\s+the\s+(?:bosses|landlords"
            r"|cops|police|state|feds|company|management|enemy|other\s+side)\b",
            anchors="you",
        ),
    ],
}
