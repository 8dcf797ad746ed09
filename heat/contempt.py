"""Rules for contempt without a swear word, one signal for each category of docs/heat.md.

Each rule is written for its category as the labelling guide defines it, aimed at a
person in the thread: mocking them, telling them to leave or be quiet, judging
who they are rather than what they argued, threatening to expose them, writing
them off for who they are, casting them as an enemy.  The civil counterparts the
guide lists stay quiet: the same words said of oneself ("I was a coward"), of a
job or an institution ("my brother is a cop"), or quoted to object to them.
"""

import re

from .rulekit import all_of, alt, rule

# Someone speaking of their own steps: "I'll log off", "I'm going to sit this one out".
SELF_STEP = re.compile(r"\b(?:i|i'm|i'll|i'd|i've|me|we|we're|we'll|let's|myself)\b[\w\s',]{0,24}$")

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
CONTEMPT_ORDER = ("mockery", "silencing", "condemning", "exposure", "identity", "enemy")
