"""Curated lists a tiny model chooses from (through the grammar), so that its choices are always words.

Pure data: each list a tuple of plain strings, lower case unless the thing is a name. The crew's slot
fillers (crews/slots.py) put the script's own names, places and props first and these after.
"""

from __future__ import annotations

# First names of several cultures, for characters a story needs before it has any.
NAMES: tuple[str, ...] = (
    "Nell", "Walt", "Rosa", "Amir", "Mei", "Tomas", "Ines", "Kofi", "Anya", "Hiro", "Leila", "Jonah",
    "Priya", "Mateo", "Yuki", "Sean", "Nadia", "Oscar", "Ada", "Ravi", "Elena", "Kwame", "Sofia", "Ivan",
    "Lena", "Omar", "Maya", "Pablo", "Zara", "Felix", "Aiko", "Hugo", "Noor", "Luca", "Grace", "Tariq",
    "Ruth", "Dmitri", "Farah", "Emil",
)

# Places a scene can happen in: a few words each, fit for a scene heading.
PLACES: tuple[str, ...] = (
    "diner", "kitchen", "lighthouse", "beach", "station platform", "bus stop", "motel room", "parking lot",
    "laundromat", "rooftop", "hospital corridor", "classroom", "library", "bakery", "garage", "farmhouse",
    "forest road", "bridge", "harbour", "ferry deck", "train carriage", "apartment", "hallway", "bedroom",
    "living room", "office", "police station", "church", "cemetery", "market", "bar", "cafe", "park",
    "field", "river bank", "gas station", "hotel lobby", "stairwell", "backyard", "car",
    "cinema", "projection booth", "theatre", "school", "gym", "boxing gym", "playground", "street", "shop",
    "warehouse", "airport", "island", "mountain cabin", "desert road", "city square", "hospital room",
    "prison cell", "laboratory", "castle", "village square", "museum", "newsroom", "studio", "boat",
)

GENRES: tuple[str, ...] = (
    "drama", "comedy", "thriller", "romance", "mystery", "horror", "science fiction", "fantasy", "western",
    "crime", "adventure", "family", "war", "musical", "coming of age", "satire", "documentary", "noir",
)

TONES: tuple[str, ...] = (
    "quiet and tense", "warm and hopeful", "dark and bitter", "light and funny", "tender", "melancholy",
    "suspenseful", "dreamlike", "gritty", "playful", "bittersweet", "eerie", "romantic", "wry", "urgent",
    "gentle", "tragic", "whimsical", "sombre", "uplifting",
)

# How a story can be told: the three treatment variants differ by these.
APPROACHES: tuple[str, ...] = (
    "quiet and intimate", "tense, like a thriller", "warm, with a hopeful ending", "told in flashbacks",
    "bitter, with a twist at the end", "funny, then sad",
)

MOODS: tuple[str, ...] = (
    "lonely", "cosy", "tense", "calm", "gloomy", "cheerful", "eerie", "busy", "desolate", "warm",
    "cold", "cramped", "spacious", "shabby", "elegant", "neglected", "peaceful", "stormy", "sleepy", "hectic",
)

# The light in a location, by the times of day the script gives it.
NIGHT_LIGHTS: tuple[str, ...] = (
    "neon glow", "fluorescent light", "warm lamplight", "candlelight", "moonlight", "streetlight",
    "headlights", "firelight", "flickering bulb", "torchlight", "blue dawn light", "red sunset glow",
)
DAY_LIGHTS: tuple[str, ...] = (
    "harsh noon sun", "golden hour sun", "grey overcast light", "soft window light", "hazy morning light",
    "bright daylight", "dappled shade", "pale winter sun", "blue dawn light", "red sunset glow",
)

COLOURS: tuple[str, ...] = (
    "black", "white", "grey", "navy", "blue", "red", "maroon", "green", "olive", "brown", "tan", "cream",
    "yellow", "mustard", "orange", "pink", "purple", "teal", "beige", "charcoal", "rust", "faded blue",
    "faded pink", "dark green",
)

GARMENTS: tuple[str, ...] = (
    "work uniform", "denim jacket", "leather jacket", "raincoat", "wool coat", "hoodie", "flannel shirt",
    "t-shirt", "sweater", "cardigan", "suit", "dress", "overalls", "apron", "parka", "blouse", "tank top",
    "trench coat", "windbreaker", "school uniform", "waistcoat", "scrubs", "sundress", "boiler suit",
)

HAIR: tuple[str, ...] = (
    "short grey hair", "long grey hair", "short black hair", "long black hair", "short brown hair",
    "long brown hair", "curly brown hair", "curly black hair", "straight blonde hair", "short blonde hair",
    "red hair", "white hair", "a bald head", "a shaved head", "braided hair", "tied-back hair", "messy hair",
    "slicked-back hair", "cropped hair", "wavy auburn hair",
)

BUILDS: tuple[str, ...] = (
    "a slight build", "a thin frame", "a wiry frame", "a lean frame", "a rangy frame", "an average build",
    "a sturdy build", "a stocky build", "broad shoulders", "a heavy build", "a tall frame", "a short, compact build",
)

AGE_BANDS: tuple[str, ...] = (
    "child", "teens", "20s", "30s", "40s", "50s", "60s", "70s", "80s",
)

# How a prop looks: its condition (with a colour from COLOURS).
CONDITIONS: tuple[str, ...] = (
    "new", "worn", "battered", "polished", "rusted", "chipped", "faded", "dented", "cracked", "dusty",
    "shiny", "scratched", "stained", "old", "clean",
)

MEDIA: tuple[str, ...] = (
    "pencil storyboard sketch", "charcoal drawing", "ink and wash", "watercolour", "gouache painting",
    "oil painting", "digital painting", "photoreal film still", "35mm film photograph", "16mm film still",
    "comic book panels", "linocut print", "pastel drawing", "clay animation still",
)

PALETTES: tuple[str, ...] = (
    "teal and amber", "muted earth tones", "cold blues and greys", "warm reds and browns", "black and white",
    "pastel", "neon pink and blue", "sepia", "desaturated green", "golden yellow and brown",
    "high-contrast monochrome", "faded seventies colour", "deep greens and golds", "washed-out grey",
    "saturated primaries",
)

LIGHTING: tuple[str, ...] = (
    "low-key", "high-key", "soft natural light", "hard side light", "neon", "practical lamps", "candlelit",
    "moonlit", "golden hour", "overcast", "backlit silhouettes", "fluorescent", "chiaroscuro",
    "firelight", "window light",
)

CAMERA: tuple[str, ...] = (
    "35mm, shallow focus", "50mm, natural perspective", "wide angle, deep focus", "long lens, compressed",
    "handheld, close", "static tripod frames", "slow dolly moves", "anamorphic widescreen",
    "16mm documentary style", "steadicam glides", "locked-off symmetrical frames", "zoom lens, seventies style",
)
