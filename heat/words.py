"""The words the rules look for, and the plain words each signal is shown with: pure data."""

# What a moderator (or the author, in a nudge) reads for each signal.
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
    "mockery": "mocking the person",
    "silencing": "telling someone to leave or be quiet",
    "condemning": "judging the person, not the argument",
    "exposure": "threat to expose someone",
    "identity": "dismissing someone for who they are",
    "enemy": "casting someone as an enemy",
}

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
