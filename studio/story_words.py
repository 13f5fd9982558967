"""Word lists the story skeleton reads prose with (studio.skeleton, studio.story_names).

They are small and English: the rules that use them say what a capitalised word is (a name, a place, or only
the first word of a sentence), which nouns are places and whether they are inside, and which words say when.
Kept apart so that the rules read as rules, and a reader can check a list at a glance.
"""

from __future__ import annotations

# Titles that come before a name. The gender decides that "Mr. Hale" and "Mrs. Hale" are two people.
HONORIFICS: dict[str, str] = {
    "Mr": "m", "Mister": "m", "Sir": "m", "Lord": "m", "King": "m", "Prince": "m", "Father": "m", "Uncle": "m",
    "Count": "m", "Baron": "m", "Duke": "m", "Monsieur": "m", "Herr": "m", "Signor": "m", "Master": "m",
    "Brother": "m",
    "Mrs": "f", "Miss": "f", "Ms": "f", "Lady": "f", "Madame": "f", "Mme": "f", "Mademoiselle": "f", "Queen": "f",
    "Princess": "f", "Aunt": "f", "Sister": "f", "Mother": "f", "Dame": "f", "Countess": "f", "Duchess": "f",
    "Signora": "f", "Frau": "f",
    "Dr": "", "Doctor": "", "Captain": "", "Capt": "", "Colonel": "", "Col": "", "General": "", "Gen": "",
    "Professor": "", "Prof": "", "Rev": "", "Reverend": "", "Inspector": "", "Sergeant": "", "Lieutenant": "",
    "Lt": "", "Judge": "", "Cousin": "", "Mate": "",
}

# Titles of an unmarried woman: 'Miss Bennet' is not 'Mrs. Bennet'.
MAIDEN = frozenset({"Miss", "Mademoiselle", "Mlle"})

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Capt", "Col", "Gen", "Lt", "Prof", "Rev",
                           "Hon", "Mme", "Messrs", "No", "vs", "etc", "viz", "Co", "Mt", "Ft"})

# Capitalised words that are never a name on their own: function words a sentence may start with, interjections,
# days, months, holidays, bare titles, the narrator. "God" and "Heaven" are read as exclamations, not characters.
NOT_NAMES = frozenset("""
a an the and but or nor for so yet if then than when whenever while where wherever why how what whatever which who
whom whose that this these those there here it its it's i i'm i'll i've i'd me my mine we us our you your he him his
she her hers they them their one some any all each every no not none nothing something anything everything never
ever always only just even still also too very much many more most less least such both either neither other
another same own oh ah ay aye alas o yes yeah nay well now once twice perhaps maybe indeed besides however though
although because since until till unless after before as at by in into of off on onto out over to up upon with
within without about above across against along among around behind below beneath beside between beyond down
during except from inside near outside through throughout toward towards under underneath whether again ere
let may might must shall should will would can could do does did done have has had be been being is are was
were am say says said tell told go come look see why hello good bad dear poor old young little great
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
christmas easter whitsun michaelmas lent advent eve day night morning evening
god gods lord heaven heavens hell jesus christ chapter book part volume act scene the end epilogue prologue
mr mrs ms miss sir madam madame dr doctor captain king queen prince princess lady father mother
english french german italian spanish dutch russian american british irish scottish scotch welsh greek latin
roman indian chinese japanese african european asiatic yankee negro
majesty highness excellency lordship ladyship honour honor grace worship
meanwhile suddenly presently soon thus hence therefore instantly immediately accordingly nevertheless
anyway anyhow somehow really surely certainly truly quite rather almost already
""".split())

# Verbs that say someone speaks (in "…," said Ahab / Ahab said, "…").
SPEECH_VERBS = frozenset("""
said says say asked asks cried cries replied replies answered answers shouted shouts whispered whispers exclaimed
exclaims called calls remarked remarks observed continued added returned murmured muttered began roared
screamed groaned sighed laughed sobbed demanded inquired enquired urged insisted repeated responded yelled
snapped retorted pleaded protested suggested declared interrupted rejoined went
""".split())

# Common verbs that follow a subject; with "-ed" words they tell "Della counted" (a person) from "English places".
VERBS = frozenset("""
was is had has did does would could should will shall might must can may were are am
went goes came comes saw sees took takes made makes knew knows thought thinks felt feels stood stands sat sits
ran runs gave gives got gets held holds left leaves began begins told tells found finds heard hears kept keeps
brought brings put puts set sets spoke speaks wrote writes read reads threw throws drew draws lay lies rose
rises fell falls met meets sent sends sought seeks struck strikes stole steals sold sells bought buys caught
catches taught wore wears swore sang sings drank drinks ate eats slept sleeps woke wakes shook shakes broke
breaks hid hides rode rides led leads meant means turned turns looks looked seems seemed laughs smiles
""".split()) | SPEECH_VERBS

# Common nouns that are places, True when they are inside (INT.), False outside (EXT.).
PLACE_NOUNS: dict[str, bool] = {
    # inside
    "room": True, "kitchen": True, "nursery": True, "cellar": True, "attic": True, "parlour": True, "parlor": True,
    "bedroom": True, "hall": True, "library": True, "study": True, "office": True, "shop": True, "store": True,
    "cabin": True, "chamber": True, "corridor": True, "passage": False, "staircase": True, "stairs": True,
    "flat": True, "apartment": True, "house": True, "church": True, "chapel": True, "inn": True, "hotel": True,
    "tavern": True, "restaurant": True, "bar": True, "theatre": True, "theater": True, "hospital": True,
    "prison": True, "cell": True, "bathroom": True, "drawing-room": True, "sitting-room": True,
    "dining-room": True, "carriage": True, "cab": True, "train": True, "hold": True, "forecastle": True,
    "cockpit": True, "barn": True, "stable": True, "school": True, "classroom": True, "museum": True,
    "palace": True, "castle": True, "lodge": True, "cottage": True, "hut": True, "tent": True, "court": True,
    "ballroom": True, "lobby": True, "gallery": True, "basement": True, "closet": True, "wardrobe": True,
    "lodgings": True, "bed": True, "scuttle": True, "pantry": True, "forge": True, "smithy": True,
    "scullery": True, "larder": True, "mill": True, "bar-parlour": True, "coffee-room": True, "cave": True,
    "castle-yard": False,
    # outside
    "street": False, "road": False, "lane": False, "avenue": False, "square": False, "garden": False,
    "park": False, "field": False, "fields": False, "forest": False, "wood": False, "woods": False, "sea": False,
    "ocean": False, "deck": False, "harbour": False, "harbor": False, "wharf": False, "quay": False, "dock": False,
    "pier": False, "beach": False, "shore": False, "river": False, "lake": False, "bridge": False,
    "mountain": False, "hill": False, "valley": False, "village": False, "town": False, "city": False,
    "yard": False, "porch": False, "piazza": False, "meadow": False, "desert": False, "island": False,
    "boat": False, "boats": False, "ship": False, "mast": False, "masthead": False, "bay": False, "waves": False,
    "water": False, "churchyard": False, "graveyard": False, "cemetery": False, "arbor": False, "arbour": False,
    "roof": False, "station": False, "platform": False, "market": False, "crossroads": False, "gate": False,
    "bulwarks": False, "quarter-deck": False, "rigging": False, "marsh": False, "marshes": False, "cove": False,
    "moor": False, "moors": False, "heath": False, "cliff": False, "cliffs": False, "coast": False, "pass": False,
    "battery": False, "hillside": False, "orchard": False, "courtyard": False, "farm": False,
}

# The last word of a proper place's name, and whether such a place is inside.
PLACE_NAME_WORDS: dict[str, bool | None] = {
    "Street": False, "Road": False, "Lane": False, "Avenue": False, "Square": False, "Park": False,
    "Bridge": False, "River": False, "Island": False, "Bay": False, "Sea": False, "Ocean": False,
    "Mountain": False, "Mountains": False, "Hill": False, "Valley": False, "Gardens": False, "Common": False,
    "Heath": False, "Place": None, "Terrace": False, "Row": False, "Cross": False, "Green": False,
    "Lodge": True, "Hotel": True, "Inn": True, "Hall": True, "House": True, "Church": True, "Chapel": True,
    "Abbey": True, "Museum": True, "Theatre": True, "Station": None, "Palace": True, "Temple": None,
    "Castle": True, "Court": None, "Pass": False, "Marshes": False, "Cove": False, "Moor": False, "Cliff": False,
    "Forest": False, "Wood": False, "Harbour": False, "Harbor": False, "Tavern": True,
    "Cathedral": True, "College": None, "Manor": None, "Tower": None,
}

# Prepositions before a place: "in London", "at Briony Lodge", "into the kitchen".
PLACE_PREPOSITIONS = frozenset("""
in at into from inside outside across through towards toward near onto aboard within to on upon round around
behind beside under over along down up off
""".split())

# Words that put a passage at a time of day (the scene heading's DAY / NIGHT …).
TIME_WORDS: dict[str, str] = {
    "night": "NIGHT", "midnight": "NIGHT", "tonight": "NIGHT", "nights": "NIGHT", "moonlight": "NIGHT",
    "mid-watch": "NIGHT", "evening": "EVENING", "dusk": "EVENING", "twilight": "EVENING", "sunset": "EVENING",
    "morning": "MORNING", "dawn": "DAWN", "sunrise": "DAWN", "daybreak": "DAWN", "noon": "DAY",
    "afternoon": "DAY", "midday": "DAY", "daylight": "DAY", "sunshine": "DAY", "sunlight": "DAY",
}

SEASONS = ("spring", "summer", "autumn", "fall", "winter")
HOLIDAYS = ("Christmas Eve", "Christmas", "Easter", "New Year's Eve", "New Year", "Thanksgiving")

# Familiar forms of given names: a story that calls him "Jim" and prints "Mr. James Young" on a card means one man.
# A name that only starts the other ("Dell" of "Della") is joined by rule, without this table.
NICKNAMES: dict[str, str] = dict(pair.split(":") for pair in """Jim:James Jimmy:James Jamie:James Bill:William
    Billy:William Will:William Willie:William Bob:Robert Bobby:Robert Rob:Robert Robin:Robert Dick:Richard
    Rick:Richard Tom:Thomas Tommy:Thomas Ned:Edward Ted:Edward Eddie:Edward Harry:Henry Hal:Henry Hank:Henry
    Jack:John Johnny:John Joe:Joseph Sam:Samuel Ben:Benjamin Dan:Daniel Danny:Daniel Mike:Michael Nick:Nicholas
    Pete:Peter Tony:Anthony Charlie:Charles Chuck:Charles Fred:Frederick Freddie:Frederick Alf:Alfred
    Andy:Andrew Steve:Stephen Matt:Matthew Pat:Patrick Larry:Lawrence Jerry:Gerald Ken:Kenneth Sandy:Alexander
    Alec:Alexander Gus:Augustus Nat:Nathaniel Zeke:Ezekiel Abe:Abraham Ike:Isaac Kit:Christopher Chris:Christopher
    Toby:Tobias Theo:Theodore Vince:Vincent Walt:Walter Wally:Walter Nell:Eleanor Nellie:Helen Nelly:Helen
    Kate:Katherine Kitty:Katherine Katie:Katherine Bess:Elizabeth Bessie:Elizabeth Beth:Elizabeth Betty:Elizabeth
    Liz:Elizabeth Lizzie:Elizabeth Libby:Elizabeth Eliza:Elizabeth Peggy:Margaret Meg:Margaret Maggie:Margaret
    Madge:Margaret Polly:Mary Molly:Mary Mamie:Mary  Jen:Jennifer Sally:Sarah Sadie:Sarah
    Nan:Ann Nancy:Ann Annie:Ann Dolly:Dorothy Dot:Dorothy Sue:Susan Susie:Susan Patsy:Martha Mattie:Martha
    Abby:Abigail Lucy:Lucille Becky:Rebecca Fanny:Frances Franny:Frances Frank:Francis Gussie:Augusta
    Lottie:Charlotte Ellie:Eleanor Hattie:Harriet Jo:Josephine Trudy:Gertrude Winnie:Winifred""".split())

# Adjectives too short or too common for a suffix to tell: after "the"/"a" they are no subject of a verb
# ("the beautiful vanished hair", "a little singed cat").
ADJECTIVES = frozenset("""little old young great small big long short tall poor rich dear good bad new fine high
    low deep dark pale bright white black red brown gray grey green blue yellow golden whole half vast thin thick
    broad wide narrow heavy light soft hard cold warm hot dry wet sweet bitter strange
    very worn empty full quiet wild calm proud sad glad""".split())
ADJECTIVE_ENDINGS = ("ful", "ous", "ive", "able", "ible", "less", "ish", "ic", "ical", "ent", "ant", "ary", "some")

# Where a person lives: "she reached home" is the story's dwelling (the flat, the cottage) when it has one.
DWELLINGS = ("flat", "apartment", "house", "cottage", "cabin", "lodgings", "hut", "home")

# Prepositions that put someone in a place ("in the kitchen", "to the street", "about the room"); "from the window",
# "near the door" and "by the fire" do not.
SETTING_PREPOSITIONS = frozenset("""in at into inside onto on upon aboard within to about across through along round
    around up down""".split())

# Parts of a building: "looked about the room" keeps a scene in the flat where it already was.
PARTS = frozenset({"room", "stairs", "staircase", "corridor", "passage", "hall", "closet", "floor"})

# Who a story may call by a role rather than a name ('said the doctor', 'my sister cried'), and the titles that
# name such a one ('the doctor' is Dr. Livesey when the story has one doctor).
ROLES: dict[str, tuple[str, ...]] = {
    "captain": ("Captain", "Capt"), "doctor": ("Dr", "Doctor"), "squire": ("Squire",), "colonel": ("Colonel", "Col"),
    "major": ("Major",), "sergeant": ("Sergeant",), "inspector": ("Inspector",), "king": ("King",),
    "queen": ("Queen",), "prince": ("Prince",), "princess": ("Princess",), "duke": ("Duke",),
    "duchess": ("Duchess",), "judge": ("Judge",), "professor": ("Professor", "Prof"), "count": ("Count",),
    "countess": ("Countess",), "parson": (), "vicar": (), "priest": (), "landlord": (), "landlady": (),
    "stranger": (), "sister": ("Sister",), "brother": ("Brother",), "mother": ("Mother",), "father": ("Father",),
    "aunt": ("Aunt",), "uncle": ("Uncle",), "wife": (), "husband": (), "master": ("Master",), "mistress": (),
    "coachman": (), "driver": (), "sailor": (), "pilot": (), "innkeeper": (), "blacksmith": (), "sergeant-major": (),
}
