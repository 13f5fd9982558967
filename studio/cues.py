"""The sound cues of a film, read from its script: a room tone per scene, the effects its action lines name, and a
score in a few long cues that run across cuts.

Deterministic, like coverage: the same script gives the same cues. An effect comes only from words the script (or
a shot a person wrote) says — a lexicon of sounds matched on whole words in their verb forms — never from nothing.
A cue a person edited is kept over what the script would give now (``merge_cues``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from studio.breakdown import scene_chunks
from studio.fountain.elements import Element, ElementType
from studio.fountain.parser import parse
from studio.models import Beat, BeatSheet, Breakdown, Brief, Scene, Shot, ShotList
from studio.sound import CueKind, SoundCue

MAX_EFFECTS_PER_SCENE = 12
SCENES_PER_MUSIC_CUE = 3  # the score changes at most about every three scenes


@dataclass(frozen=True)
class Sound:
    """One entry of the lexicon: the words that name it, the words that must go with them (``needs``), and what
    a generator is asked for. A ``bed`` sound (rain, wind, crowd) plays under a whole scene: one cue per scene."""

    name: str
    words: str
    prompt: str
    needs: str = ""
    bed: bool = False


# Whole words, verbs in their forms. Ambiguous nouns need a companion word in the same sentence: a "ring" is a
# sound only near a phone or a bell, a "door" only when it opens, shuts or slams.
LEXICON: tuple[Sound, ...] = (
    Sound("rain", r"rain|rains|raining|rained|downpour|drizzle|rainfall|rainstorm", "steady rain falling", bed=True),
    Sound("thunder", r"thunder|thunders|thundering|thunderclap|lightning", "thunder rolling in the distance"),
    Sound("slam", r"slam|slams|slammed|slamming", "a door slamming"),
    Sound("knock", r"knock|knocks|knocked|knocking", "knocking on a wooden door"),
    Sound("door", r"door|doors", "a door opening and closing",
          needs=r"opens|opening|closes|closing|shuts|slam|slams|slammed|slamming|"
                r"bang|bangs|banged|creak|creaks|creaked|swings|swung|bursts|kicks|kicked"),
    Sound("engine", r"engine|engines|motor|revs|revving|revved|idles|idling",
          "a car engine idling, low harmonic hum"),
    Sound("car", r"car|cars|truck|trucks|pickup|van|bus|taxi|cab|motorcycle|headlights",
          "a car passing on the road",
          needs=r"drive|drives|drove|driving|pulls|pulled|rolls|rolled|speeds|sped|passes|passed|arrives|"
                r"starts|screeches|screeching|sweep|sweeps|roars|roared"),
    Sound("crowd", r"crowd|crowds|chatter|chattering|audience|applause|cheering|cheers|patrons",
          "crowd murmur, many voices", bed=True),
    Sound("footsteps", r"footsteps|footstep|footfalls|stomps|stomping|tiptoes|tiptoeing|clatters down",
          "footsteps on a hard floor"),
    Sound("phone", r"phone|phones|telephone|cellphone|mobile",
          "a telephone ringing", needs=r"ring|rings|rang|ringing|buzz|buzzes|buzzing|vibrates|vibrating"),
    Sound("gunshot", r"gunshot|gunshots|gunfire|shotgun blast|pistol shot|fires the gun|fires a shot",
          "a single gunshot, echoing"),
    Sound("explosion", r"explosion|explosions|explodes|exploded|blast|blasts", "a distant explosion, deep boom"),
    Sound("wind", r"wind|winds|windy|gust|gusts|gale|howling", "wind gusting", bed=True),
    Sound("waves", r"wave|waves|surf|sea|ocean|tide", "waves breaking on the shore", bed=True,
          needs=r"crash|crashes|crashing|break|breaks|breaking|lap|laps|lapping|roar|roars|surf|sea|ocean|tide"),
    Sound("birds", r"bird|birds|birdsong|chirp|chirps|chirping|tweeting|seagull|seagulls|crows|cawing",
          "birds singing", bed=True),
    Sound("clock", r"clock|clocks|tick|ticks|ticking|tock", "a clock ticking", bed=True,
          needs=r"clock|clocks|watch|wristwatch|tock|timer|metronome"),
    Sound("glass", r"shatter|shatters|shattered|shattering|smash|smashes|smashed|breaks the glass",
          "glass shattering"),
    Sound("dog", r"dog|dogs|bark|barks|barked|barking", "a dog barking",
          needs=r"bark|barks|barked|barking|howls|growls|growling"),
    Sound("siren", r"siren|sirens|wail of a siren", "a police siren wailing"),
    Sound("fire", r"crackle|crackles|crackling|fireplace|bonfire|campfire|flames|blaze", "a fire crackling",
          bed=True),
    Sound("typing", r"typing|typewriter|keyboard|types away", "typing on a keyboard"),
    Sound("train", r"train|trains|locomotive|railway|subway", "a train passing on the tracks"),
    Sound("plane", r"plane|planes|airplane|jet|jets|aircraft|helicopter", "an aircraft passing overhead"),
    Sound("bell", r"bell|bells|doorbell|chime|chimes|chimed|chiming", "a bell ringing"),
    Sound("hum", r"hum|hums|humming|buzz|buzzes|buzzing|fluorescent", "an electrical hum", bed=True),
    Sound("radio", r"radio|television|tv|jukebox", "a radio playing faintly in the room", bed=True),
    Sound("scream", r"scream|screams|screamed|screaming|shriek|shrieks", "a scream"),
    Sound("keys", r"keys|keyring|key ring|bunch of keys", "a bunch of keys jangling",
          needs=r"jangle|jangles|jangled|jangling|jingle|jingles|jingling|clatter|clatters|clattered|clattering|"
                r"rattle|rattles|rattled|rattling|drop|drops|dropped|toss|tosses|tossed"),
    Sound("kettle", r"kettle|kettles|teakettle", "a kettle coming to the boil and whistling",
          needs=r"whistle|whistles|whistled|whistling|boil|boils|boiled|boiling|shriek|shrieks|sings|singing"),
)
# A sound the sentence says is not there: 'He doesn't start the engine.', 'The radio is off.', 'No rain.'
_NEGATION = re.compile(r"\b(?:no|not|never|without|nothing|nor)\b|n't\b", re.IGNORECASE)
_STOPPED = re.compile(r"\b(?:is|are|was|were|goes|went|falls|fell)\s+(?:off|silent|quiet|dead)\b|\b(?:stops|stopped|"
                      r"dies|died)\b", re.IGNORECASE)
_PATTERNS = {s.name: (re.compile(rf"\b(?:{s.words})\b", re.IGNORECASE),
                      re.compile(rf"\b(?:{s.needs})\b", re.IGNORECASE) if s.needs else None) for s in LEXICON}


def sounds_in(text: str) -> list[Sound]:
    """The lexicon's sounds that ``text`` names, in the lexicon's order (a 'door' that 'slams' is one slam)."""
    found = []
    claimed: list[tuple[int, int]] = []  # words an earlier sound took: 'a phone buzzes' is not also a hum
    for sound in LEXICON:
        word, needs = _PATTERNS[sound.name]
        hits = [m for m in word.finditer(text) if not _overlaps(m.span(), claimed)]
        companion = next((m for m in needs.finditer(text) if not _overlaps(m.span(), claimed)), None) \
            if needs is not None else None
        if hits and (needs is None or companion) and not _denied(text, hits[0].start()):
            found.append(sound)
            claimed += [m.span() for m in hits] + ([companion.span()] if companion else [])
    if "engine" in {s.name for s in found}:
        found = [s for s in found if s.name != "car"]
    return found


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _denied(sentence: str, at: int) -> bool:
    """Whether the clause that names a sound (from the last comma or semicolon before it) denies it, or the
    sentence says it stopped."""
    clause = re.split(r"[,;:]", sentence[:at])[-1]
    return bool(_NEGATION.search(clause) or _STOPPED.search(sentence))


def sound_of(prompt: str) -> str:
    """The lexicon sound a cue's prompt asks for ('' when none): what a temp track synthesises. A prompt this module
    wrote is known exactly; a person's is read like a sentence of the script, then word by word."""
    exact = next((s.name for s in LEXICON if s.prompt == prompt.strip()), "")
    if exact:
        return exact
    found = sounds_in(prompt)
    if found:
        return found[0].name
    return next((s.name for s in LEXICON if _PATTERNS[s.name][0].search(prompt)), "")


# ---------------------------------------------------------------- room tone


# What a place sounds like: (its words, the detail, inside only?).
_PLACE_DETAILS: tuple[tuple[str, str, bool], ...] = (
    (r"diner|kitchen|restaurant|cafe|café|canteen", "fridge hum", True),
    (r"office|lab|laboratory|server|studio", "air conditioning hum", True),
    (r"bar|pub|club|saloon|tavern", "murmur of voices", True),
    (r"hospital|ward|clinic", "machines beeping softly", True),
    (r"church|cathedral|chapel|hall|museum", "large reverberant space", True),
    (r"car|pickup|truck|van|taxi|cab|bus", "engine hum through the cabin", True),
    (r"bedroom|apartment|house|home|room|flat", "quiet domestic room", True),
    (r"street|city|road|highway|parking|lot|town", "distant traffic", False),
    (r"forest|woods|park|garden|field|farm|meadow", "wind in the trees", False),
    (r"beach|sea|shore|harbor|harbour|dock|pier|ocean", "waves on the shore", False),
)
_TIMES = {"NIGHT": "at night", "DAY": "by day", "MORNING": "in the morning", "AFTERNOON": "in the afternoon",
          "EVENING": "in the evening", "DUSK": "at dusk", "DAWN": "at dawn", "SUNSET": "at sunset",
          "SUNRISE": "at sunrise", "MIDNIGHT": "at midnight", "NOON": "at noon"}


def scene_times(breakdown: Breakdown) -> dict[int, str]:
    """Each scene's real time of day: 'CONTINUOUS', 'LATER' and no time at all carry the scene before's."""
    times: dict[int, str] = {}
    last = ""
    for scene in breakdown.scenes:
        own = (scene.time_of_day or "").upper()
        if own in _TIMES:
            last = own
        times[scene.number] = last
    return times


def ambience_prompt(scene: Scene, time_of_day: str, weather: bool = False) -> str:
    """'room tone of a sunrise diner at night, fridge hum' / 'outdoor ambience of a parking lot by day, ...'.
    ``weather``: the scene's action names rain, thunder or wind, so no crickets or birds are heard outside."""
    place = re.sub(r"\s+", " ", scene.location or "the place").strip().lower()[:120]
    exterior = scene.int_ext in ("EXT", "EST")
    head = f"outdoor ambience of {place}" if exterior else f"room tone of {place}"
    when = _TIMES.get(time_of_day, "")
    details = [detail for words, detail, inside in _PLACE_DETAILS
               if not (inside and exterior) and re.search(rf"\b(?:{words})\b", place)][:2]
    if exterior and not weather:
        details.append("crickets" if time_of_day in ("NIGHT", "MIDNIGHT", "DUSK") else "birds")
    return ", ".join([" ".join(p for p in (head, when) if p), *details])


WEATHER = ("rain", "thunder", "wind")  # sounds of the lexicon that drown the creatures of an outdoor room tone


def _ambience(scene: Scene, time_of_day: str, elements: list[Element]) -> SoundCue:
    action = " ".join(el.plain for el in elements if el.type is ElementType.ACTION)
    weather = any(s.name in WEATHER for s in sounds_in(action))
    return SoundCue(id=f"S{scene.number:02d}_AMB", kind=CueKind.AMBIENCE,
                    prompt=ambience_prompt(scene, time_of_day, weather), scene=scene.number,
                    last_scene=scene.number, source=scene.heading[:300])


# ---------------------------------------------------------------- effects


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", flat) if s.strip()]


def _anchor(sentence: str, element_text: str, shots: list[Shot]) -> int | None:
    """The shot whose action names ``sentence`` (or the first sentence of its action element): coverage writes a
    shot's action from the first sentence of the action it films. None: the scene's start."""
    probes = [sentence, *(_sentences(element_text)[:1])]
    for probe in probes:
        key = probe[:60].lower()
        for shot in shots:
            if key and key in " ".join(shot.action.split()).lower():
                return shot.number
    return None


def _effects(scene: Scene, elements: list[Element], shots: list[Shot]) -> list[SoundCue]:
    cues: list[SoundCue] = []
    beds: set[str] = set()
    sources: list[tuple[str, str, int | None]] = []
    for el in elements:
        if el.type is ElementType.ACTION:
            sources += [(s, el.plain, None) for s in _sentences(el.plain)]
    for shot in shots:  # a shot's action a person wrote is script too
        if "action" in shot.person:
            sources += [(s, shot.action, shot.number) for s in _sentences(shot.action)]
    for sentence, element_text, shot_number in sources:
        for sound in sounds_in(sentence):
            if sound.bed and sound.name in beds:
                continue
            if len(cues) >= MAX_EFFECTS_PER_SCENE:
                return cues
            beds.add(sound.name)
            where = shot_number if shot_number is not None else _anchor(sentence, element_text, shots)
            cues.append(SoundCue(id=f"S{scene.number:02d}_FX{len(cues) + 1:02d}", kind=CueKind.EFFECT,
                                 prompt=sound.prompt, scene=scene.number, shot=where,
                                 last_scene=scene.number if sound.bed else None, source=sentence[:300]))
    return cues


# ---------------------------------------------------------------- music


MOODS: dict[str, str] = {
    "tense": r"tense|tension|suspense|suspenseful|thriller|danger|dangerous|threat|threatens|fear|afraid|dread|"
             r"anxious|nervous|confront|confrontation|crime|noir|standoff",
    "eerie": r"eerie|horror|ghost|ghosts|haunted|haunting|uncanny|creepy|supernatural|mysterious|mystery|strange|"
             r"dread|sinister",
    "sad": r"sad|sadness|grief|grieving|loss|lost|melancholy|melancholic|mourning|tragic|tragedy|tears|cries|"
           r"crying|funeral|lonely|loneliness|regret|bittersweet",
    # Not 'run', 'race', 'escape': "runs in out of the rain", "the bus races past" are no action score (user F7).
    "action": r"action|fight|fights|chase|chases|explosion|battle|pursuit|heist|shootout|gunfight",
    "romantic": r"romance|romantic|love|loves|kiss|kisses|date|tender|tenderness|longing",
    "comic": r"comedy|comic|comedic|funny|laugh|laughs|joke|jokes|absurd|farce|quirky|whimsical|playful",
    "warm": r"warm|warmth|hope|hopeful|family|gentle|home|reunion|reunite|reunited|together|kindness|friendship|"
            r"uplifting|heartwarming|dawn",
}
_MOOD_RE = {mood: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for mood, words in MOODS.items()}
MUSIC_PROMPTS = {
    "tense": "tense underscore, low sustained strings, minor key, slow pulse",
    "eerie": "eerie ambient score, dissonant pads, minor key, sparse",
    "sad": "sad underscore, slow piano and strings, minor key",
    "action": "driving action score, steady percussion pulse, minor key",
    "romantic": "romantic underscore, warm strings, major key",
    "comic": "light comic underscore, plucked strings, major key, bouncy",
    "warm": "warm hopeful underscore, soft pads, major key",
    "neutral": "gentle neutral underscore, soft sustained pads",
}


def mood_of(text: str) -> str:
    """The mood ``text``'s words name most often ('' when none): ties go to the order of MOODS."""
    counts = {mood: len(pattern.findall(text)) for mood, pattern in _MOOD_RE.items()}
    best = max(counts.values())
    return next(m for m, c in counts.items() if c == best) if best else ""


def _scene_texts(chunks: list[list[Element]]) -> list[str]:
    return [" ".join(e.plain for e in chunk if e.type in (ElementType.ACTION, ElementType.DIALOGUE,
                                                          ElementType.SYNOPSIS)) for chunk in chunks]


def _cites(beat: Beat, scene: Scene) -> bool:
    """Whether a beat names a scene: 'scene 3', 'scenes 2-4', or its place (five letters or more)."""
    text = beat.description
    for m in re.finditer(r"\bscenes?\s+(\d+)(?:\s*(?:-|–|to|and)\s*(\d+))?", text, re.IGNORECASE):
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if first <= scene.number <= last:
            return True
    place = scene.location.strip()
    return len(place) >= 5 and re.search(rf"\b{re.escape(place)}\b", text, re.IGNORECASE) is not None


def _acts(beats: BeatSheet | None, scenes: list[Scene]) -> list[int] | None:
    """Each scene's act, when the beats cite scenes: a scene is in the act of the last cited beat at or before it."""
    if beats is None or not beats.beats:
        return None
    cited: dict[int, int] = {}
    for beat in beats.beats:
        for scene in scenes:
            if _cites(beat, scene):
                cited.setdefault(scene.number, beat.act)
    if not cited:
        return None
    acts, act = [], min(cited.values())
    for scene in scenes:
        act = max(act, cited.get(scene.number, act))  # acts only go forward
        acts.append(act)
    return acts


def _runs(labels: list[str]) -> list[list[int]]:
    """Indices of consecutive equal labels: ['a', 'a', 'b'] → [[0, 1], [2]]."""
    runs: list[list[int]] = []
    for i, label in enumerate(labels):
        if runs and labels[runs[-1][-1]] == label:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _merge_short(runs: list[list[int]], limit: int) -> list[list[int]]:
    """Join the shortest run to its shorter neighbour until at most ``limit`` runs are left."""
    runs = [list(r) for r in runs]
    while len(runs) > max(1, limit):
        k = min(range(len(runs)), key=lambda i: (len(runs[i]), i))
        if k == 0:
            j = 1
        elif k == len(runs) - 1:
            j = k - 1
        else:
            j = k - 1 if len(runs[k - 1]) <= len(runs[k + 1]) else k + 1
        low, high = sorted((k, j))
        runs[low:high + 1] = [runs[low] + runs[high]]
    return runs


SCENE_MOOD_HITS = 2  # the scenes' words outweigh the brief's tone when they name another mood this often


def _scenes_mood(text: str, film: str) -> str:
    """The mood the scenes' words name, when it agrees with the film's (the brief's tone or genre), or there is
    none, or the words name it at least SCENE_MOOD_HITS times: one stray word ('a fight for the last seat') does
    not turn a quiet drama's score ('' : the brief decides)."""
    mood = mood_of(text)
    if not mood or not film or mood == film or len(_MOOD_RE[mood].findall(text)) >= SCENE_MOOD_HITS:
        return mood
    return ""


def _music(scenes: list[Scene], texts: list[str], beats: BeatSheet | None, brief: Brief | None) -> list[SoundCue]:
    """The score as a few long cues: one per act when the beats cite scenes, else per run of scenes of one mood;
    at most one cue per SCENES_PER_MUSIC_CUE scenes, end to end."""
    film = mood_of(f"{brief.tone} {brief.genre}") if brief else ""
    acts = _acts(beats, scenes)
    labels = [str(a) for a in acts] if acts is not None else [mood_of(t) or film or "neutral" for t in texts]
    runs = _merge_short(_runs(labels), math.ceil(len(scenes) / SCENES_PER_MUSIC_CUE))
    cues = []
    for k, run in enumerate(runs, start=1):
        first, last = scenes[run[0]].number, scenes[run[-1]].number
        span = f"scenes {first}–{last}" if first != last else f"scene {first}"
        beat_words = ""
        if acts is not None and beats is not None:
            run_acts = sorted({acts[i] for i in run})
            span = "act " + ", ".join(str(a) for a in run_acts)
            beat_words = " ".join(f"{b.name} {b.description}" for b in beats.beats if b.act in run_acts)
        mood, told = mood_of(beat_words), "the beats"
        if not mood:
            mood, told = _scenes_mood(" ".join(texts[i] for i in run), film), "the scenes' words"
        if not mood and film and brief is not None:
            mood, told = film, f"the brief's {'tone' if mood_of(brief.tone) else 'genre'}"
        if not mood:
            mood, told = "neutral", "nothing: no words of mood"
        cues.append(SoundCue(id=f"M{k:02d}", kind=CueKind.MUSIC, prompt=MUSIC_PROMPTS[mood], scene=first,
                             last_scene=last, mood=mood, source=f"{span}; mood from {told}"[:300]))
    return cues


# ---------------------------------------------------------------- the plan's cues


def derive_cues(fountain: str, breakdown: Breakdown, shots: ShotList, beats: BeatSheet | None,
                brief: Brief | None) -> list[SoundCue]:
    """Every scene's room tone, the effects its action names, and the score, in film order."""
    _, chunks = scene_chunks(parse(fountain))
    times = scene_times(breakdown)
    by_scene: dict[int, list[Shot]] = {}
    for shot in shots.shots:
        by_scene.setdefault(shot.scene, []).append(shot)
    cues: list[SoundCue] = []
    for scene in breakdown.scenes:
        elements = chunks[scene.number - 1] if scene.number - 1 < len(chunks) else []
        cues.append(_ambience(scene, times.get(scene.number, ""), elements))
        cues += _effects(scene, elements, by_scene.get(scene.number, []))
    if breakdown.scenes:
        texts = []
        for scene in breakdown.scenes:  # a mood a person asked of a shot counts with the scene's own words
            own = _scene_texts([chunks[scene.number - 1]])[0] if scene.number - 1 < len(chunks) else ""
            asked = " ".join(shot.mood for shot in by_scene.get(scene.number, []) if shot.mood)
            texts.append(f"{own} {asked} {asked}".strip())
        cues += _music(breakdown.scenes, texts, beats, brief)
    return cues


def merge_cues(old: list[SoundCue], new: list[SoundCue]) -> list[SoundCue]:
    """The cues derived now, with every cue a person edited (``person``) kept as the person left it, and a cue a
    person added that the script does not give kept too."""
    edited = {c.id: c for c in old if c.person}
    merged = [edited.pop(c.id, c) for c in new]
    kept = sorted(edited.values(), key=lambda c: (c.scene, c.shot or 0, c.id))
    return merged + kept


def cue_text(cue: SoundCue) -> str:
    """One line for chat: 'S01_FX02 effect — scene 1, shot 3: thunder rolling in the distance ("Thunder cracks.")'."""
    where = f"scene {cue.scene}"
    if cue.shot is not None:
        where += f", shot {cue.shot}"
    if cue.last_scene and cue.last_scene != cue.scene:
        where = f"scenes {cue.scene}–{cue.last_scene}"
    if cue.offset_s:
        where += f" +{cue.offset_s:g} s"
    text = f"{cue.id} {cue.kind.value} — {where}: {cue.prompt}"
    if cue.mood and cue.kind is CueKind.MUSIC:
        text += f" [{cue.mood}]"
    if cue.source and cue.kind is CueKind.EFFECT:
        text += f' ("{cue.source[:80]}")'
    if cue.person:
        text += " (edited)"
    return text
