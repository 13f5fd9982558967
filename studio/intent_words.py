"""The words a director uses, for studio.intents: tokens, clauses, spelling slips and the vocabulary tables.

Everything here runs in time linear in the message: one tokenizing pass with a regular expression that cannot
backtrack (a word is letters or digits, joined only by a single separator before more of them), then passes over
the tokens with phrase tables of a few words at most, and a bounded edit distance against a small vocabulary
bucketed by first letter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from studio.intent_english import ENGLISH
from studio.intent_tables import (CONDITIONS, FILLERS, NEGATIONS, NOTE_WORDS, PRAISE, QUESTION_STARTS,
                                  REQUEST_VERBS, DECADES)
from studio.models import Angle, Movement, ShotSize
from studio.stages import Stage

_TOKEN_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)]|[^\W_]+(?:['_./:-][^\W_]+)*|[?!.;,:#\n]",
                       re.IGNORECASE)
STOPS = frozenset({".", "!", "?", ";", "\n"})
URL = "web-address"  # the word a web address is read as: one token, no '?' or '.' of its own, never a value


@dataclass(frozen=True)
class Token:
    word: str  # lower case, canonical spelling ("please", "close-up", "approve")
    start: int  # where it is in the message
    end: int
    raw: str  # as written

    @property
    def base(self) -> str:
        """The word without a possessive: "nell's" → "nell"."""
        w = self.word
        if w.endswith(("'s", "s'")):
            return w[:-2]
        return w[:-1] if w.endswith("'") else w


# Shorthand and slips people type, and words that are one word for the parser.
CANON = {"pls": "please", "plz": "please", "plase": "please", "pleas": "please", "thx": "thanks", "ty": "thanks",
         "u": "you", "ur": "your", "closeup": "close-up", "close-ups": "close-up", "closeups": "close-up",
         "colour": "color", "colours": "colors", "coloured": "colored", "lets": "let's", "dont": "don't",
         "im": "i'm", "id": "i'd", "ill": "i'll", "wont": "won't", "cant": "can't", "shouldnt": "shouldn't",
         "wouldnt": "wouldn't", "isnt": "isn't", "doesnt": "doesn't", "didnt": "didn't", "okay": "ok", "k": "ok",
         "okey": "ok", "kk": "ok", "yea": "yeah", "ya": "yeah", "yup": "yep", "whats": "what's", "wheres": "where's",
         "hows": "how's", "thats": "that's", "its": "it's", "storyboard": "boards", "storyboards": "boards",
         "re-render": "rerender", "re-draw": "redraw", "hand-held": "handheld", "sec": "seconds", "secs": "seconds",
         "s": "seconds", "screenplay": "script", "gray": "grey", "ok'd": "approved",
         "okd": "approved", "sign-off": "sign", "signoff": "sign", "signed": "sign", "approves": "approve",
         "shotlist": "shot-list", "photo": "photograph", "nighttime": "night", "night-time": "night",
         "daytime": "day", "daylight": "day", "midnight": "night", "daybreak": "dawn", "sundown": "sunset",
         "midday": "noon", "twilight": "dusk", "mil": "mm", "mils": "mm", "millimetres": "mm",
         "millimeters": "mm", "millimetre": "mm", "millimeter": "mm", "wanna": "want", "gonna": "going",
         "abt": "about", "tho": "though", "alrite": "alright", "aight": "alright", "ok-dokey": "ok",
         "okie": "ok", "dokie": "dokey", "pic": "photograph", "pics": "photographs", "closeup-s": "close-up",
         "nxt": "next", "stg": "stage", "ctrl-z": "undo", "cmd-z": "undo", "command-z": "undo", "control-z": "undo"}
_KEYS = frozenset({"ctrl", "cmd", "control", "command", "ctl"})  # "ctrl+z", "cmd z": undo

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "first": 1, "second": 2, "third": 3, "fourth": 4,
                "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2,
                "3rd": 3, "4th": 4, "5th": 5}

STAGE_WORDS: dict[str, Stage] = {"brief": Stage.BRIEF, "treatment": Stage.TREATMENT, "beats": Stage.BEATS,
                                 "beat": Stage.BEATS, "outline": Stage.BEATS, "script": Stage.SCRIPT,
                                 "breakdown": Stage.BREAKDOWN, "look": Stage.LOOK, "lookbook": Stage.LOOK,
                                 "shots": Stage.SHOTS, "shot-list": Stage.SHOTS, "coverage": Stage.SHOTS,
                                 "prompts": Stage.PROMPTS, "boards": Stage.BOARDS, "clips": Stage.CLIPS,
                                 "cut": Stage.CUT, "animatic": Stage.CUT, "export": Stage.EXPORT,
                                 "pdf": Stage.EXPORT, "dialogue": Stage.SCRIPT}

TIMES = {"dusk": "DUSK", "dawn": "DAWN", "night": "NIGHT", "day": "DAY", "morning": "MORNING",
         "evening": "EVENING", "sunset": "SUNSET", "sunrise": "SUNRISE", "noon": "NOON", "afternoon": "AFTERNOON"}
TIME_PHRASES: dict[tuple[str, ...], str] = {("blue", "hour"): "DUSK", ("golden", "hour"): "MAGIC HOUR", ("magic", "hour"): "MAGIC HOUR",
                ("first", "light"): "DAWN", ("late", "night"): "NIGHT"}

SIZES: dict[tuple[str, ...], ShotSize] = {
    ("extreme", "close-up"): ShotSize.ECU, ("ecu",): ShotSize.ECU, ("medium", "close-up"): ShotSize.MCU,
    ("mcu",): ShotSize.MCU, ("close-up",): ShotSize.CU, ("cu",): ShotSize.CU, ("extreme", "wide"): ShotSize.EWS,
    ("extreme", "long"): ShotSize.EWS, ("ews",): ShotSize.EWS, ("medium", "long"): ShotSize.MLS,
    ("medium", "wide"): ShotSize.MLS, ("mls",): ShotSize.MLS, ("wide",): ShotSize.WS, ("ws",): ShotSize.WS,
    ("long", "shot"): ShotSize.WS, ("wide-shot",): ShotSize.WS, ("medium",): ShotSize.MS, ("ms",): ShotSize.MS,
    ("mid", "shot"): ShotSize.MS, ("mid-shot",): ShotSize.MS, ("two-shot",): ShotSize.MS,
    ("establishing",): ShotSize.WS, ("close", "up"): ShotSize.CU, ("extreme", "close", "up"): ShotSize.ECU,
    ("medium", "close", "up"): ShotSize.MCU, ("full", "wide"): ShotSize.WS,
    ("full", "shot"): ShotSize.WS, ("medium-shot",): ShotSize.MS}
ANGLES: dict[tuple[str, ...], Angle] = {
    ("low", "angle"): Angle.LOW, ("low-angle",): Angle.LOW, ("from", "below"): Angle.LOW,
    ("from", "lower"): Angle.LOW, ("lower", "angle"): Angle.LOW, ("from", "low"): Angle.LOW,
    ("high", "angle"): Angle.HIGH, ("high-angle",): Angle.HIGH, ("from", "above"): Angle.HIGH,
    ("from", "higher"): Angle.HIGH, ("higher", "angle"): Angle.HIGH, ("from", "high"): Angle.HIGH,
    ("overhead",): Angle.OVERHEAD, ("bird's", "eye"): Angle.OVERHEAD, ("birds", "eye"): Angle.OVERHEAD,
    ("bird's-eye",): Angle.OVERHEAD, ("directly", "above"): Angle.OVERHEAD, ("straight", "down"): Angle.OVERHEAD,
    ("from", "directly", "above"): Angle.OVERHEAD, ("from", "overhead"): Angle.OVERHEAD,
    ("directly", "overhead"): Angle.OVERHEAD, ("from", "directly", "overhead"): Angle.OVERHEAD,
    ("looking", "straight", "down"): Angle.OVERHEAD, ("from", "straight", "above"): Angle.OVERHEAD,
    ("straight", "above"): Angle.OVERHEAD, ("right", "above"): Angle.OVERHEAD, ("from", "right", "above"): Angle.OVERHEAD, ("top-down",): Angle.OVERHEAD, ("top", "down"): Angle.OVERHEAD,
    ("dutch",): Angle.DUTCH, ("canted",): Angle.DUTCH, ("over-the-shoulder",): Angle.OVER_THE_SHOULDER,
    ("over", "the", "shoulder"): Angle.OVER_THE_SHOULDER, ("ots",): Angle.OVER_THE_SHOULDER,
    ("pov",): Angle.POV, ("point", "of", "view"): Angle.POV, ("eye-level",): Angle.EYE_LEVEL,
    ("eye", "level"): Angle.EYE_LEVEL}
MOVES: dict[tuple[str, ...], Movement] = {
    ("dolly", "in"): Movement.DOLLY_IN, ("dolly-in",): Movement.DOLLY_IN, ("dolly", "out"): Movement.DOLLY_OUT,
    ("dolly-out",): Movement.DOLLY_OUT, ("push", "in"): Movement.PUSH_IN, ("push-in",): Movement.PUSH_IN,
    ("pull", "out"): Movement.PULL_OUT, ("pull-out",): Movement.PULL_OUT, ("pull", "back"): Movement.PULL_OUT,
    ("pull-back",): Movement.PULL_OUT, ("zoom", "in"): Movement.ZOOM_IN, ("zoom-in",): Movement.ZOOM_IN,
    ("zoom", "out"): Movement.ZOOM_OUT, ("zoom-out",): Movement.ZOOM_OUT, ("pan",): Movement.PAN,
    ("tilt",): Movement.TILT, ("track",): Movement.TRACK, ("tracking",): Movement.TRACK,
    ("follow",): Movement.TRACK, ("handheld",): Movement.HANDHELD, ("crane",): Movement.CRANE,
    ("jib",): Movement.CRANE, ("static",): Movement.STATIC, ("locked-off",): Movement.STATIC,
    ("locked", "off"): Movement.STATIC, ("lock", "off"): Movement.STATIC, ("lock", "it", "off"): Movement.STATIC,
    ("no", "movement"): Movement.STATIC, ("no", "camera", "movement"): Movement.STATIC,
    ("tripod",): Movement.STATIC, ("steadicam",): Movement.TRACK, ("dolly",): Movement.TRACK}

WARDROBE = frozenset({"coat", "jacket", "dress", "uniform", "shirt", "t-shirt", "blouse", "sweater", "jumper",
                      "hoodie", "cardigan", "vest", "suit", "tie", "hat", "cap", "beanie", "scarf", "gloves",
                      "boots", "shoes", "sneakers", "heels", "jeans", "trousers", "pants", "skirt", "apron",
                      "overalls", "raincoat", "parka", "trenchcoat", "flannel", "sunglasses", "glasses",
                      "earrings", "necklace", "jewelry", "wardrobe", "outfit", "clothes", "clothing", "costume",
                      "belt", "gown", "robe", "pajamas", "socks", "windbreaker", "poncho", "bandana", "tshirt",
                      "coats", "jackets", "dresses", "uniforms", "shirts", "hats", "caps"})
HAIR = frozenset({"hair", "haired", "beard", "bearded", "moustache", "mustache", "stubble", "ponytail", "braid",
                  "braids", "bun", "curls", "bald", "mohawk", "sideburns", "goatee", "fringe", "bangs",
                  "dreadlocks", "hairdo", "haircut", "hairstyle", "blonde", "blond", "brunette", "redhead"})
WEAR = frozenset({"wear", "wears", "wearing", "wore", "dress", "dressed", "dresses"})
AGE = frozenset({"older", "younger", "age", "aged", "years", "year-old", "old"})
STATES = frozenset({"chipped", "cracked", "broken", "shattered", "dented", "rusty", "rusted", "dirty", "clean",
                    "spotless", "stained", "worn", "torn", "ripped", "faded", "crumpled", "folded", "bent",
                    "burnt", "burned", "scorched", "empty", "full", "wet", "damp", "dusty", "new", "shiny",
                    "polished", "tarnished", "missing", "lit", "unlit", "spilled", "bloody", "smashed", "scratched",
                    "soaking", "filthy", "grimy", "greasy", "muddy", "frayed", "crushed", "split", "peeling",
                    "old", "older", "battered", "creased", "wrinkled", "soaked", "steaming", "cold", "hot"})
STYLE = {"palette": "palette", "colors": "palette", "color": "palette", "grade": "palette", "grading": "palette",
         "tones": "palette", "lighting": "lighting", "light": "lighting", "lights": "lighting",
         "shadows": "lighting", "contrast": "lighting", "medium": "medium", "style": "medium"}
MEDIUMS = frozenset({"watercolor", "watercolour", "charcoal", "pencil", "ink", "gouache", "pastel", "oil",
                     "anime", "comic", "photoreal", "photorealistic", "claymation", "noir", "woodcut"})
MOODS = frozenset({"tense", "eerie", "hopeful", "melancholy", "melancholic", "sad", "sadder", "gloomy", "moody",
                   "moodier", "ominous", "lonely", "lonelier", "romantic", "cheerful", "bleak", "bleaker", "dreamy",
                   "nostalgic", "menacing", "tender", "calm", "calmer", "anxious", "joyful", "somber", "sombre",
                   "tenser", "warmer", "colder", "creepy", "creepier", "intimate", "hopeless", "happier",
                   "happy", "mysterious", "uneasy", "quiet", "quieter", "scarier", "darker", "lighter"})
TIERS = {"sketch": "sketch", "sketches": "sketch", "draft": "draft", "drafts": "draft", "preview": "preview",
         "final": "final", "animatic": "animatic"}

# Words that look like a slip of a vocabulary word but are words of their own: never "corrected".
COMMON = frozenset({"slow", "shop", "shoe", "shoes", "snow", "shut", "sheet", "shoot", "shots", "shout", "shown",
                    "tender", "render", "slower", "cost", "goat", "boat", "coats", "coast", "scent", "sense",
                    "make", "male", "take", "made", "more", "mode", "mood", "move", "love", "live", "lover",
                    "approach", "improve", "improved", "proved", "proves", "approval", "reprove", "disprove",
                    "scenery", "scenic", "showed", "shows", "shower", "sharp", "short", "shirt", "shore", "shorter",
                    "night", "light", "right", "tight", "might", "sight", "bright", "fight", "eight", "lighter",
                    "later", "water", "waiter", "whiter", "paper", "pager", "hair", "fair", "pair", "hail", "here",
                    "there", "where", "wear", "were", "tear", "near", "year", "dear", "bear", "beard", "heard",
                    "board", "broad", "bored", "sword", "words", "world", "wild", "wide", "wine", "wire", "side",
                    "ride", "hide", "cape", "cope", "cake", "care", "cure", "core", "coal", "clot",
                    "scone", "stone", "state", "stage", "style", "stale", "stall", "sale", "tale", "sage",
                    "than", "then", "them", "they", "that", "this", "these", "those", "what", "when", "with",
                    "will", "well", "wall", "want", "went", "walk", "talk", "tall", "weld", "wet", "mug", "mugs",
                    "proof", "prove", "approved", "remove", "removed", "reprise", "unapprove", "disapprove",
                    "undo", "undone", "under", "until", "into", "onto", "unto", "cut", "cute", "clip", "clap",
                    "chip", "ship", "skip", "sign", "sing", "song", "sigh", "open", "oven", "even",
                    "over", "cover", "clever", "close", "chose", "lose", "loose", "nose", "pose", "rose",
                    "hose", "dose", "dawn", "down", "damn", "lawn", "dusk", "duck", "desk", "disk", "dust",
                    "done", "dome", "home", "hope", "rope", "role", "rule", "mule", "pale", "page", "pane",
                    "plane", "panel", "pants", "paint", "print", "point", "pint", "prompt", "promote", "proper",
                    "profit", "froze", "frame", "flame", "fame", "same", "game", "name", "came", "tame",
                    "scene", "seen", "seem", "seam", "team", "steam", "stream", "green", "grey", "grew",
                    "great", "greet", "treat", "threat", "heat", "hate", "have", "gave", "give", "five",
                    "dive", "drive", "driver", "diner", "dinner", "winner", "inner", "lunch", "bench", "beach"})

def vocabulary(extra: tuple[str, ...] = ()) -> dict[tuple[str, int], list[str]]:
    """The words slips are corrected to, bucketed by first letter and length."""
    words = set(REQUEST_VERBS) | set(STAGE_WORDS) | set(TIMES) | WARDROBE | HAIR | set(STYLE)
    words |= {w for key in (*SIZES, *ANGLES, *MOVES) for w in key} | set(extra)
    words |= {"approve", "approved", "scene", "scenes", "shot", "please", "variant", "option", "version", "status",
              "help", "board", "prompt", "treatment", "wardrobe", "rewrite", "branch", "everything", "every",
              "seconds", "older", "younger", "takes", "frame", "frames", "video", "videos", "stale", "onwards",
              "next", "what", "where", "which", "that", "this", "there", "these", "their", "about", "again",
              "second", "third", "fourth", "fifth", "first", "assemble", "sketch", "commands", "options",
              "change", "last", "back", "happy", "through", "throughout", "visible", "faded", "chipped", "cracked",
              "torn", "creased", "crumpled", "twenties", "thirties", "forties", "fifties", "sixties",
              "seventies", "eighties", "nineties", "darker", "lighter", "warmer", "colder", "wider", "looser",
              "quicker", "closer", "opening", "slowly", "gently", "quickly", "smoothly"}
    words |= set(NOTE_WORDS) | set(DECADES)
    buckets: dict[tuple[str, int], list[str]] = {}
    for w in words:
        if len(w) >= 4:
            buckets.setdefault((w[0], len(w)), []).append(w)
    return buckets


def slips(a: str, b: str, limit: int) -> int:
    """How many slips (a letter left out, added, changed, two swapped) make `a` of `b`; limit + 1 when more."""
    return _osa(a, b, limit)


def _osa(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts one), or limit + 1 when over it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


# Words of their own that the tables above use: never taken for a slip of another.
_OWN_WORDS = (NUMBER_WORDS.keys() | STATES | MOODS | QUESTION_STARTS | FILLERS | NEGATIONS | CONDITIONS | PRAISE |
              AGE | WEAR | MEDIUMS | {"could", "would", "should", "cold", "told", "hold", "bold", "gold", "fold",
                                      "sold", "cloud", "scold", "wound", "mould", "shoulder", "soldier"})


# Short words a slip of which is put right: a swap of two neighbours ("lwo", "teh") or a letter doubled ("onn").
_SHORT = frozenset({"low", "the", "cut", "day", "red", "new", "mug", "cap", "and", "wet", "one", "top",
                    "on", "ok", "go", "yes", "no", "it", "up", "next", "wide", "shot", "back", "undo", "help",
                    "pov", "ots", "ecu", "mcu", "dee", "roy", "set", "for", "off", "out", "old", "all", "now"})


def correct(word: str, buckets: dict[tuple[str, int], list[str]], known: frozenset[str]) -> str:
    """A slip of a vocabulary word put right ("aprove" → "approve", "scnee" → "scene"): only a word of 4 letters
    or more that is no word of its own; one slip (a swap only, in 4 letters), two in words of 7 letters or more;
    the first letter kept (or swapped with the second); "approve" is never reached by more than one slip.
    A letter typed twice ("onn", "mugg", "nextt") and a swap in three letters ("lwo") are put right when the
    word they make is one of ours."""
    if word in known or word in COMMON or word in _OWN_WORDS or word in ENGLISH or word == URL or \
            not word.isalpha() and "-" not in word:
        return word
    squeezed = _squeezed(word, buckets, known)
    if squeezed:
        return squeezed
    if len(word) == 3:
        for k in (0, 1):
            swapped = word[:k] + word[k + 1] + word[k] + word[k + 2:]
            if swapped in _SHORT and swapped != word:
                return swapped
        return word
    if len(word) < 4 or word in buckets.get((word[0], len(word)), ()):
        return word
    limit = 2 if len(word) >= 7 else 1
    best, best_d = word, limit + 1
    letters = set(word)
    for first in {word[0], word[1]}:
        for length in range(len(word) - limit, len(word) + limit + 1):
            for cand in buckets.get((first, length), ()):
                if first != word[0] and not (cand[0] == word[1] and cand[1] == word[0]):
                    continue
                lim = 1 if cand.startswith("approv") else min(limit, 2 if len(cand) >= 7 else 1)
                if len(letters.symmetric_difference(cand)) > 2 * lim:
                    continue  # more letters differ than the slips allowed can make
                d = _osa(word, cand, lim)
                if d > lim or d >= best_d:
                    continue
                if len(word) == 4 and d == 1 and sorted(word) != sorted(cand):
                    continue  # in four letters only a swap
                best, best_d = cand, d
    return best


def _squeezed(word: str, buckets: dict[tuple[str, int], list[str]], known: frozenset[str]) -> str:
    """The word with one doubled letter typed once, when that is a word of ours and the word itself is not."""
    if len(word) < 3 or word in buckets.get((word[0], len(word)), ()):
        return ""
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            cand = word[:i] + word[i + 1:]
            if cand in _SHORT or cand in known or cand in buckets.get((cand[0], len(cand)), ()):
                return cand
    return ""


def tokens(text: str) -> list[Token]:
    """The message's words, lower case and canonical; a newline is a stop."""
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text.replace("’", "'").replace("‘", "'"))
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(low):
        if m.group(0).startswith(("http", "www.")) and ("/" in m.group(0) or m.group(0).startswith("www.")):
            out.append(Token(URL, m.start(), m.end(), text[m.start():m.end()]))
            continue
        word = m.group(0).strip("'.:/-") or m.group(0)
        word = CANON.get(word, word)
        if word == "." and out and out[-1].word in (".", ",") and out[-1].end == m.start():
            out[-1] = Token(",", out[-1].start, m.end(), "...")  # an ellipsis is a pause, not a full stop
            continue
        if word == "z" and out and out[-1].word in _KEYS and text[out[-1].end:m.start()].strip() in ("", "+"):
            out[-1] = Token("undo", out[-1].start, m.end(), text[out[-1].start:m.end()])
            continue
        if word == ":":
            word = ","  # "Walt: a waxed jacket": a comma that the raw ":" still tells apart
        out.append(Token(word, m.start(), m.end(), text[m.start():m.end()]))
    return out


def phrase_at(words: list[str], i: int, table: Mapping[tuple[str, ...], object]) -> tuple[int, object] | None:
    """The longest phrase of the table that starts at words[i]: (its length, its value)."""
    for n in (3, 2, 1):
        key = tuple(words[i:i + n])
        if len(key) == n and key in table:
            return n, table[key]
    return None


def base(word: str) -> str:
    """A word without its possessive."""
    if word.endswith(("'s", "s'")):
        return word[:-2]
    return word[:-1] if word.endswith("'") else word
