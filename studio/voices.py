"""Casting voices: every speaking character gets a voice of its own, and a person can change it in plain words.

The embedded engine is espeak-ng: a voice is a language and a variant ('en-us+f3'), a pitch (0–99, 50 the
engine's middle) and a rate in words per minute. Casting reads what the script and the look say plainly — 'a woman',
'WALT (60s)', 'She turns' after a sentence about her, 'a Scottish accent' — and never guesses past it: a character
with no cue is cast for contrast with the others, and the direction line says so. Within a film no two characters
share a (variant, pitch) pair; variants are handed out least-used first, and the people of a scene are kept apart
in the fundamental frequency they are heard at (espeak-ng's variants start from different pitches, so equal numbers
are not equal voices).
"""

from __future__ import annotations

import re

from studio.fountain import ElementType, parse
from studio.models import Breakdown, Character, Look
from studio.sound import ESPEAK, VoiceProfile

MALE_VARIANTS = ("m1", "m3", "m2", "m4", "m7", "m5", "m6")
FEMALE_VARIANTS = ("f1", "f3", "f2", "f4", "f5")
CONTRAST = ("m1", "f3", "m3", "f1", "m2", "f2", "m4", "f4", "m7", "f5", "m5", "m6")  # no gender cue
PITCH_SPREAD = (0, 7, -7, 14, -14)  # a variant used again sounds apart by pitch
# espeak-ng 1.51's variants do not start from one pitch: their fundamental (Hz) at pitch 50, measured by
# autocorrelation on a line of dialogue (as tests/integration/test_voice_engines.py measures); a pitch step of 75
# is about an octave. Two people of a scene are cast at least MIN_APART apart in fundamental, not just in numbers.
VARIANT_F0 = {"m1": 95, "m2": 101, "m3": 106, "m4": 94, "m5": 102, "m6": 102, "m7": 106,
              "f1": 179, "f2": 197, "f3": 212, "f4": 179, "f5": 206}
PITCH_PER_OCTAVE = 75.0
MIN_APART = 1.09  # about a semitone and a half
PITCH_STEP, RATE_STEP = 10, 20  # 'lower', 'slower'; 'much' doubles, 'a bit' halves
MIN_PITCH, MAX_PITCH, MIN_RATE, MAX_RATE = 0, 99, 80, 400
YOUNG_MAX_RATE = 190  # 'younger' quickens a voice up to here, no further: film dialogue is ~140–170 wpm

_FEMALE_WORDS = {
    "woman", "women", "girl", "mother", "mom", "mum", "mama", "wife", "sister", "daughter", "aunt", "grandmother",
    "grandma", "granny", "lady", "waitress", "actress", "queen", "princess", "nun", "widow", "bride", "girlfriend",
    "niece", "mrs", "ms", "miss", "madam", "madame", "female", "feminine", "she", "herself", "heroine",
    "duchess", "countess", "stewardess", "landlady", "businesswoman", "policewoman",
}
_MALE_WORDS = {
    "man", "men", "boy", "father", "dad", "papa", "husband", "brother", "son", "uncle", "grandfather", "grandpa",
    "gentleman", "waiter", "actor", "king", "prince", "priest", "widower", "groom", "boyfriend", "nephew", "mr",
    "sir", "guy", "male", "masculine", "he", "himself", "monk", "duke", "landlord", "businessman",
    "policeman", "fisherman", "chairman", "lord",
}
# Given names nearly always borne by one sex in English-language scripts (ambiguous ones, Sam, Alex, Jordan, Robin,
# left out): the reader of a script takes 'MARGARET' as a woman, and so does casting.
_FEMALE_NAMES = set("""mary margaret elizabeth anne ann anna sarah susan linda barbara patricia jennifer maria nancy
    helen dorothy karen betty ruth sharon michelle laura kimberly deborah jessica emily amy angela melissa rebecca
    stephanie rachel catherine katherine kate kathy diane julie joan judith martha gloria evelyn alice grace rose
    marta marie jane emma olivia sophia isabella ava mia charlotte amelia harper abigail ella lucy claire nora ida
    nell nelly eleanor edith irene clara vera agnes mabel hazel ivy lily daisy molly polly sally peggy betsy carol
    carla julia eva eve ellen louise lois doris janet joyce judy wendy tina tracy beth meg amanda hannah lisa lauren
    megan natalie rosa lola carmen lucia elena sofia ingrid greta heidi""".split())
_MALE_NAMES = set("""john james robert michael william david richard joseph thomas charles christopher daniel matthew
    anthony mark donald steven paul andrew joshua kenneth kevin brian george edward ronald timothy jason jeffrey
    ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank raymond
    jack dennis jerry tyler aaron henry peter walter harold arthur albert fred frederick roy walt bob bobby bill
    billy tom tommy jim jimmy joe joey mike harry ben luke adam noah liam oliver elijah lucas mason ethan logan
    hugo carlos juan jose luis miguel pedro tomas marco mario giovanni hans klaus ivan boris igor otto karl gus
    ray earl ernest eugene herbert howard leonard louis norman ralph roger stanley vincent victor wayne""".split())
_ACCENTS = (("scottish", "en-gb-scotland"), ("scots", "en-gb-scotland"), ("british", "en-gb"), ("english", "en-gb"),
            ("london", "en-gb"), ("caribbean", "en-029"), ("jamaican", "en-029"))
_CHILD, _TEEN, _YOUNG, _MIDDLE, _OLDER = "child", "teen", "young", "middle", "older"
_AGE_WORDS = {
    "child": _CHILD, "kid": _CHILD, "little": _CHILD, "boy": _CHILD, "girl": _CHILD, "toddler": _CHILD,
    "teen": _TEEN, "teenage": _TEEN, "teenager": _TEEN, "adolescent": _TEEN,
    "young": _YOUNG, "youthful": _YOUNG, "twenties": _YOUNG,
    "middle-aged": _MIDDLE,
    "old": _OLDER, "elderly": _OLDER, "aged": _OLDER, "grandmother": _OLDER, "grandfather": _OLDER,
    "grandma": _OLDER, "grandpa": _OLDER, "granny": _OLDER, "widow": _OLDER, "widower": _OLDER, "older": _OLDER,
}
# (pitch offset, rate, what the direction says) per age
_AGE_VOICE = {_CHILD: (22, 170, "light, quick"), _TEEN: (10, 175, "quick"), _YOUNG: (4, 170, "bright"),
              _MIDDLE: (0, 160, "even"), _OLDER: (-6, 145, "low, unhurried"), "": (0, 165, "clear")}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z'’-]*", text.lower())


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]


def _names_in(sentence: str, names: list[str]) -> list[str]:
    return [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", sentence, re.IGNORECASE)]


_OWN = ("hand", "hands", "head", "eyes", "face", "feet", "foot", "arm", "arms", "hair", "jaw", "shoulder",
        "shoulders", "neck", "lips", "mouth", "chin", "brow", "fingers", "knees", "legs", "breath", "throat", "own",
        "coat", "jacket", "cap", "hat", "glasses", "voice", "teeth", "nose", "temples", "cheek", "cheeks")
_OWN_RE = {sex: re.compile(rf"\b{word}\s+(?:\w+\s+)?(?:{'|'.join(_OWN)})\b", re.IGNORECASE)
           for sex, word in (("f", "her"), ("m", "his"))}


# Words after 'her' that make it the object, not the possessive ('hands her the keys', 'looks at her again'),
# and after 'his' that are no noun phrase ('is his to keep').
_NOT_OWNED = {"the", "a", "an", "to", "in", "on", "at", "up", "down", "out", "off", "back", "away", "and", "or", "but",
              "with", "for", "from", "into", "onto", "again", "too", "that", "this", "these", "those", "as", "so",
              "then", "now", "here", "there", "by", "over", "through", "across", "some", "one", "go", "leave", "be",
              "is", "was", "alone", "before", "after", "once", "twice", "anything", "something", "nothing"}
_POSSESSIVE_RE = re.compile(r"\b(her|his)\s+([a-z][a-z'’-]*)", re.IGNORECASE)
_OTHER_OF = {"f": {"she"}, "m": {"he", "him"}}  # another person of that sex in the sentence: whose is it?


def _possessive(sentence: str) -> set[str]:
    """The sexes a sentence's possessives name: 'shaking his umbrella' → m, 'into her crossword' → f. Counted only
    when no other pronoun of that sex stands in the sentence ('Nell hands him his pie': the pie is his) and 'her'
    is not the object ('hands her the keys')."""
    words = _words(sentence)
    found: set[str] = set()
    objects = 0
    for m in _POSSESSIVE_RE.finditer(sentence):
        sex = "f" if m.group(1).lower() == "her" else "m"
        if m.group(2).lower() in _NOT_OWNED:
            objects += sex == "f"
            continue
        found.add(sex)
    bare_her = words.count("her") - sum(1 for m in _POSSESSIVE_RE.finditer(sentence) if m.group(1).lower() == "her")
    if bare_her + objects or any(w in _OTHER_OF["f"] for w in words):
        found.discard("f")
    if any(w in _OTHER_OF["m"] for w in words):
        found.discard("m")
    return found


def action_paragraphs(script_text: str) -> list[list[str]]:
    """The script's action, as paragraphs of sentences (a pronoun is read only within its paragraph)."""
    if not script_text.strip():
        return []
    return [_sentences(el.plain) for el in parse(script_text).elements if el.type is ElementType.ACTION]


def pronoun_votes(paragraphs: list[list[str]], name: str, names: list[str]) -> tuple[int, int]:
    """(female, male) votes from the script's action, only where they are plain: a sentence that names this
    character alone and says 'herself'/'himself', 'her hands'/'his head' (the body's own) or another possessive
    ('shaking his umbrella', 'into her crossword', with no one else of that sex in it), or that the next
    sentence of its paragraph opens with She/He."""
    female = male = 0
    for sentences in paragraphs:
        for k, sentence in enumerate(sentences):
            if _names_in(sentence, names) != [name]:
                continue
            words = set(_words(sentence))
            owned = _possessive(sentence)
            female += ("herself" in words) + bool(_OWN_RE["f"].search(sentence) or "f" in owned)
            male += ("himself" in words) + bool(_OWN_RE["m"].search(sentence) or "m" in owned)
            following = sentences[k + 1] if k + 1 < len(sentences) else ""
            female += bool(re.match(r"She\b", following))
            male += bool(re.match(r"He\b", following))
    return female, male


def script_age(paragraphs: list[list[str]], name: str) -> str:
    """The age the script gives after the name, in brackets or between commas: 'WALT (60s)', 'JONAH, 20s,'."""
    pattern = re.compile(rf"(?<![\w]){re.escape(name)}\s*(?:\((\d{{1,3}}s?|[A-Za-z -]{{3,20}})\)|,\s*(\d{{1,3}}s?)\b)",
                         re.IGNORECASE)  # 'WALT (60s)', 'JONAH, 20s,'

    for sentences in paragraphs:
        for sentence in sentences:
            m = pattern.search(sentence)
            said = (m.group(1) or m.group(2)) if m else ""
            if said and (said[0].isdigit() or _AGE_WORDS.get(said.strip().lower())):
                return said
    return ""


def _gender(character: Character | None, name: str, votes: tuple[int, int]) -> str:
    """'f', 'm' or '' (no plain cue): the name's own words (MRS. PATEL, OLD MAN), the look's description, the
    pronouns, and last a given name borne by one sex."""
    for text in (name, " ".join(filter(None, [character.description, character.visual] if character else []))):
        words = set(_words(text))
        f, m = bool(words & _FEMALE_WORDS), bool(words & _MALE_WORDS)
        if f != m:
            return "f" if f else "m"
    female, male = votes
    if female and not male:
        return "f"
    if male and not female:
        return "m"
    given = _words(name)[:1]
    if given and given[0] in _FEMALE_NAMES:
        return "f"
    if given and given[0] in _MALE_NAMES:
        return "m"
    return ""


def _age(character: Character | None, name: str, from_script: str = "") -> tuple[str, str]:
    """(age group, as the script says it: '60s', 'elderly') from the look's age (else the script's 'NAME (60s)'),
    then the name and description."""
    said = (character.age if character else "").strip() or from_script
    m = re.search(r"\d{1,3}", said)
    if m:
        years = int(m.group())
        group = _CHILD if years < 13 else _TEEN if years < 20 else _YOUNG if years < 36 else \
            _MIDDLE if years < 56 else _OLDER
        return group, said
    texts = [said, name, (character.description if character else "")]
    for text in texts:
        for word in _words(text):
            if word in _AGE_WORDS:
                return _AGE_WORDS[word], word
    return "", ""


def _accent(character: Character | None) -> str:
    text = " ".join([character.description, character.visual]).lower() if character else ""
    return next((lang for word, lang in _ACCENTS if re.search(rf"\b{word}\b", text)), "en-us")


def _variant(pool: tuple[str, ...], used: list[str]) -> tuple[str, int]:
    """The pool's least-used variant (pool order breaks ties), and how often it was used before."""
    counts = {v: sum(1 for u in used if u == v) for v in pool}
    least = min(counts.values())
    chosen = next(v for v in pool if counts[v] == least)
    return chosen, least


def expected_f0(profile: VoiceProfile) -> float | None:
    """The fundamental an espeak-ng voice is heard at (Hz), from its variant and pitch; None for another engine."""
    variant = profile.voice.partition("+")[2]
    if profile.engine != ESPEAK or variant not in VARIANT_F0:
        return None
    return VARIANT_F0[variant] * float(2.0 ** ((profile.pitch - 50) / PITCH_PER_OCTAVE))


def _apart(voice: str, wanted: int, mates: list[VoiceProfile], used_pairs: set[tuple[str, int]],
           down_first: bool) -> int:
    """The pitch nearest ``wanted`` that is heard apart from every scene-mate (MIN_APART in fundamental) and
    shares no (voice, pitch) pair; low voices look downward first. A crowded scene: the nearest free pair."""
    others = [f for f in (expected_f0(m) for m in mates) if f]
    steps = [0] + [d * sign for d in range(2, 100, 2) for sign in ((-1, 1) if down_first else (1, -1))]
    candidates = [wanted + d for d in steps if MIN_PITCH <= wanted + d <= MAX_PITCH]
    for pitch in candidates:
        heard = expected_f0(VoiceProfile(voice=voice, pitch=pitch))
        far = heard is None or all(max(heard, f) / min(heard, f) >= MIN_APART for f in others)
        if far and (voice, pitch) not in used_pairs:
            return pitch
    return next((p for p in candidates if (voice, p) not in used_pairs), wanted)


def _profile(character: Character | None, name: str, votes: tuple[int, int], used_variants: list[str],
             used_pairs: set[tuple[str, int]], age: str = "", mates: list[VoiceProfile] | None = None) \
        -> VoiceProfile:
    gender = _gender(character, name, votes)
    group, said_age = _age(character, name, age)
    offset, rate, manner = _AGE_VOICE[group]
    pool = FEMALE_VARIANTS if gender == "f" or (group == _CHILD and gender == "") else \
        MALE_VARIANTS if gender == "m" else CONTRAST
    variant, times = _variant(pool, used_variants)
    base = 58 if variant.startswith("f") else 38
    pitch = base + offset + PITCH_SPREAD[times % len(PITCH_SPREAD)]
    voice = f"{_accent(character)}+{variant}"
    pitch = _apart(voice, max(MIN_PITCH, min(MAX_PITCH, pitch)), mates or [], used_pairs, offset < 0)
    who = {"f": "a woman", "m": "a man"}.get(gender, "")
    if group == _CHILD:
        who = {"f": "a girl", "m": "a boy"}.get(gender, "a child")
    if who:
        direction = f"{who}{', ' + said_age if said_age and said_age not in who else ''}: {manner}"
    else:
        direction = f"{manner}; no gender cue in the script, cast for contrast (change it with /voice)"
    used_variants.append(variant)
    used_pairs.add((voice, pitch))
    return VoiceProfile(engine=ESPEAK, voice=voice, pitch=pitch, rate=rate, direction=direction[:200])


def cast(look: Look, breakdown: Breakdown, script_text: str = "", *, model: str = "") -> tuple[Look, list[str]]:
    """A voice for every speaking character that has none (in the breakdown's order, so the same script casts the
    same voices); a voice already there — cast before or set by a person — is kept as it is. Returns the new look
    and the names cast. ``model``: a neural voice model (AUTEUR_VOICE_MODEL) every new voice speaks with, keeping
    the pitch, rate and direction cast for it, each character its own speaker of the model (speaker k of a
    multi-speaker model; a single-speaker model tells them apart by pitch)."""
    new = look.model_copy(deep=True)
    names = list(dict.fromkeys([*breakdown.characters, *(c for s in breakdown.scenes for c in s.characters)]))
    everyone = list(dict.fromkeys([*names, *(c.name for c in new.characters)]))
    kept = [c.voice for c in new.characters if c.voice is not None]
    used_variants = [p.voice.split("+", 1)[1] for p in kept if p.engine == ESPEAK and "+" in p.voice]
    used_pairs = {(p.voice, p.pitch) for p in kept}
    cast_names: list[str] = []
    paragraphs = action_paragraphs(script_text)
    scenes = {n.upper()[:100]: {s.number for s in breakdown.scenes if n.upper() in {c.upper() for c in s.characters}}
              for n in names}
    for name in (n[:100] for n in names):  # a look's name holds 100 characters, and so does a spoken line's
        character = new.character(name)
        if character is not None and character.voice is not None:
            continue
        votes = pronoun_votes(paragraphs, name, everyone)
        mates = [c.voice for c in new.characters if c.voice is not None and
                 (scenes.get(c.name.upper(), set()) & scenes[name.upper()] or not breakdown.scenes)]
        profile = _profile(character, name, votes, used_variants, used_pairs, script_age(paragraphs, name), mates)
        if model:
            profile = profile.model_copy(update={"engine": "vits", "model": model[:300], "voice": str(len(cast_names))})
        if character is None:
            new.characters.append(Character(name=name, voice=profile))
        else:
            character.voice = profile
        cast_names.append(name)
    return new, cast_names


def voice_for(name: str, taken: list[VoiceProfile]) -> VoiceProfile:
    """A voice for a speaker nobody cast (a name the breakdown does not know), apart from the voices ``taken``."""
    used_variants = [p.voice.split("+", 1)[1] for p in taken if p.engine == ESPEAK and "+" in p.voice]
    return _profile(None, name, (0, 0), used_variants, {(p.voice, p.pitch) for p in taken}, mates=taken)


def voice_lines(look: Look) -> list[str]:
    """The cast for chat: 'MARTA — espeak-ng en-us+f3, pitch 62, 150 wpm: bright, quick'."""
    lines = []
    for character in look.characters:
        if character.voice is not None:
            lines.append(f"{character.name} — {character.voice.text}")
        else:
            lines.append(f"{character.name} — no voice yet (one is cast when sound is first rendered)")
    return lines



# ---------------------------------------------------------------- a person's words: '/voice MARTA lower, slower'

VITS = "vits"  # the neural family through transformers (VITS, MMS-TTS)
ENGINES = {ESPEAK: ESPEAK, "espeak": ESPEAK, VITS: VITS, "mms": VITS, "mms-tts": VITS}
_AMOUNT = {"much": 2.0, "a lot": 2.0, "far": 2.0, "way": 2.0, "a little": 0.5, "a bit": 0.5, "slightly": 0.5,
           "a touch": 0.5, "": 1.0}
_STEP_RE = re.compile(r"^(much|a lot|far|way|a little|a bit|slightly|a touch)?\s*(lower|deeper|higher|slower|faster)"
                      r"(?:\s+(?:pitch|voice|pace))?$")
_SEX_RE = re.compile(r"^(?:an?\s+)?(woman|female|feminine|girl|man|male|masculine|boy)(?:['’]s)?(?:\s+voice)?$")
_AGE_RE = re.compile(r"^(?:sound\s+)?(much\s+|a\s+bit\s+)?(older|younger)$")


def _split_phrases(words: str) -> tuple[list[str], str | None]:
    """The phrases of a request, and its 'direction: …' (which may hold commas: everything after it is direction)."""
    direction = None
    m = re.search(r"\bdirection\s*[:=]?\s*", words, re.IGNORECASE)
    if m:
        direction = words[m.end():].strip().strip("'\"")
        words = words[:m.start()]
    phrases = [p.strip().rstrip(".").strip() for p in re.split(r",|;|\band\b|\bthen\b", words)]
    return [p for p in phrases if p], direction


def _bounded(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _phrase(profile: dict[str, object], phrase: str) -> tuple[list[str], str]:
    """Apply one phrase to ``profile`` (a dict of VoiceProfile fields): (fields changed, '' or why it was not)."""
    low = " ".join(phrase.lower().split())
    pitch, rate = int(str(profile["pitch"])), int(str(profile["rate"]))
    if m := _STEP_RE.match(low):
        factor = _AMOUNT[m.group(1) or ""]
        word = m.group(2)
        if word in ("lower", "deeper", "higher"):
            new = _bounded(pitch + round(PITCH_STEP * factor) * (1 if word == "higher" else -1), MIN_PITCH, MAX_PITCH)
            profile["pitch"] = new
            return (["pitch"], "") if new != pitch else ([], f"{phrase}: the pitch is already {pitch}, its limit")
        new = _bounded(rate + round(RATE_STEP * factor) * (1 if word == "faster" else -1), MIN_RATE, MAX_RATE)
        profile["rate"] = new
        return (["rate"], "") if new != rate else ([], f"{phrase}: the rate is already {rate} wpm, its limit")
    if m := re.match(r"^pitch\s+(\d{1,3})$", low):
        if not MIN_PITCH <= int(m.group(1)) <= MAX_PITCH:
            return [], f"{phrase}: pitch goes from {MIN_PITCH} to {MAX_PITCH}"
        profile["pitch"] = int(m.group(1))
        return ["pitch"], ""
    if m := re.match(r"^(?:(?:rate|speed)\s+(\d{1,4})(?:\s*wpm)?|(\d{1,4})\s*wpm)$", low):
        value = int(m.group(1) or m.group(2))
        if not MIN_RATE <= value <= MAX_RATE:
            return [], f"{phrase}: the rate goes from {MIN_RATE} to {MAX_RATE} words per minute"
        profile["rate"] = value
        return ["rate"], ""
    if m := _SEX_RE.match(low):
        return _sex(profile, "f" if m.group(1) in ("woman", "female", "feminine", "girl") else "m"), ""
    if m := _AGE_RE.match(low):
        factor = 2 if m.group(1) and "much" in m.group(1) else 1
        sign = -1 if m.group(2) == "older" else 1
        profile["pitch"] = _bounded(pitch + sign * 6 * factor, MIN_PITCH, MAX_PITCH)
        quicker = min(rate + 15 * factor, max(rate, YOUNG_MAX_RATE))  # younger is not rushed (user F11)
        profile["rate"] = _bounded(quicker if sign > 0 else rate - 15 * factor, MIN_RATE, MAX_RATE)
        return ["pitch", "rate"], ""
    if m := re.match(r"^voice\s+(\S+)$", phrase.strip(), re.IGNORECASE):
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_+.\-]*", m.group(1)) or len(m.group(1)) > 80:
            return [], f"{phrase}: a voice is a name like en-gb+m3 (letters, digits and + - _ . only)"
        profile["voice"] = m.group(1)
        return ["voice"], ""
    if m := re.match(r"^engine\s+(\S+)(?:\s+model\s+(.+))?$", phrase.strip(), re.IGNORECASE):
        return _engine(profile, phrase, m.group(1), m.group(2))
    if m := re.match(r"^model\s+(.+)$", phrase.strip(), re.IGNORECASE):
        return _engine(profile, phrase, str(profile["engine"]) if profile["engine"] != ESPEAK else VITS, m.group(1))
    return [], phrase


def _sex(profile: dict[str, object], sex: str) -> list[str]:
    """A woman's or a man's voice: espeak-ng's variant of that kind (the same number where there is one), and the
    pitch moved into that range."""
    voice, pitch = str(profile["voice"]), int(str(profile["pitch"]))
    lang, _, variant = voice.partition("+")
    number = re.sub(r"\D", "", variant) or "1"
    pool = FEMALE_VARIANTS if sex == "f" else MALE_VARIANTS
    chosen = f"{sex}{number}" if f"{sex}{number}" in pool else pool[0]
    profile["voice"] = f"{lang or 'en-us'}+{chosen}"
    if sex == "f" and pitch < 55:
        profile["pitch"] = _bounded(pitch + 20, MIN_PITCH, MAX_PITCH)
    elif sex == "m" and pitch > 45:
        profile["pitch"] = _bounded(pitch - 20, MIN_PITCH, MAX_PITCH)
    return ["voice", "pitch"]


def _engine(profile: dict[str, object], phrase: str, engine: str, model: str | None) -> tuple[list[str], str]:
    name = ENGINES.get(engine.lower())
    if name is None:
        return [], f"{phrase}: the engines are {ESPEAK} and {VITS} (a VITS or MMS-TTS model folder)"
    changed = ["engine"]
    profile["engine"] = name
    if name == ESPEAK:
        profile["model"] = ""
        if not re.search(r"[A-Za-z]", str(profile["voice"])):  # a neural speaker number means nothing to espeak-ng
            profile["voice"] = "en-us"
            changed.append("voice")
    if model is not None:
        path = model.strip().strip("'\"")
        if not path or len(path) > 300:
            return [], f"{phrase}: name the model's folder or Hugging Face repo id (at most 300 characters)"
        profile["model"] = path
        changed.append("model")
    return changed, ""


def adjust(profile: VoiceProfile, words: str) -> tuple[VoiceProfile, list[str]]:
    """``profile`` changed as ``words`` ask ('lower, slower', 'a woman's voice', 'pitch 30', 'voice en-gb+m3',
    'engine vits model FOLDER', 'direction: tired'); the fields changed join ``person`` (a later casting keeps
    them). Returns the new profile and what was not understood or not possible, to be said back."""
    values: dict[str, object] = profile.model_dump()
    phrases, direction = _split_phrases(words)
    changed: list[str] = []
    unclear: list[str] = []
    for phrase in phrases:
        fields, why = _phrase(values, phrase)
        changed += fields
        if why:
            unclear.append(why)
    if direction is not None:
        values["direction"] = direction[:200]
        changed.append("direction")
    if not phrases and direction is None:
        unclear.append("nothing to change: say e.g. 'lower, slower', 'pitch 30', 'a woman's voice', 'direction: dry'")
    person = list(dict.fromkeys([*profile.person, *changed]))
    values["person"] = person[:10]
    return VoiceProfile.model_validate(values), unclear
