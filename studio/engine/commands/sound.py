"""Sound in the chat: /voice (the cast, and changing a character's voice in words), and the sound takes that
/takes and /take show and choose. /render sound goes through the render gate (studio.engine.render_gate).

A voice changed is a scoped change of the look (one commit; nothing else changes): the dialogue takes that
character speaks in are out of date from then on, and the Producer names them and what redoing them costs.
"""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import AuteurError, StageError
from studio.models import Breakdown, Character, Look
from studio.ports import ProjectPort, RenderPort
from studio.sound import KEY_RE, SoundTake, VoiceProfile
from studio.stages import Stage

SHOWN = 5
CUE_KEY = re.compile(r"^(S\d{2,3}_(AMB|FX\d{2,3})|M\d{2,3})$")


def register(registry: Registry) -> None:
    registry.add("voice", "/voice [NAME words]",
                 "the characters' voices; '/voice MARTA lower, slower' (or higher, faster, older, a woman's voice, "
                 "pitch 30, rate 140, voice en-gb+m3, direction: tired) changes one", voice)
    registry.add("sound", "/sound [SCENE]", "the sound cues: each scene's room tone, the effects its action names and "
                 "the score, with the take each uses", sound_cues, reads_only=True)
    registry.add("cue", "/cue CUE WORDS | /cue CUE mood MOOD",
                 "what a sound cue asks for, in your words ('/cue S01_FX01 heavy rain on a tin roof'), or the mood of "
                 "a music cue ('/cue M01 mood tense')", cue)
    registry.add("loudness", "/loudness [LUFS | broadcast | streaming]",
                 "the loudness the cut's mix is mastered to: -16 LUFS for streaming (the default), -23 for broadcast "
                 "(EBU R128); -1 dBTP peaks", loudness)


# ---------------------------------------------------------------- /voice


def voice(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    look = store.read(Stage.LOOK)
    look = look if isinstance(look, Look) else Look()
    if not args.strip():
        yield from _cast_list(store, look)
        return
    look, character, words = _named(look, store, args)
    yield from change_voice(conv, store, look, character, words)


def _cast_list(store: ProjectPort, look: Look) -> Iterator[Event]:
    from studio.voices import voice_lines

    breakdown = store.read(Stage.BREAKDOWN)
    speaking = breakdown.characters if isinstance(breakdown, Breakdown) else []
    shown = [c for c in look.characters if c.voice is not None or c.name.upper() in {n.upper() for n in speaking}]
    lines = voice_lines(look.model_copy(update={"characters": shown}))
    if not lines:
        yield say("Nobody speaks in this project yet, so there is nobody to cast.", author="Art Director",
                  stage="look", data={"voices": []})
        return
    yield say("The voices:\n" + "\n".join(lines) + "\nChange one with /voice NAME lower, slower.",
              author="Art Director", stage="look",
              data={"voices": [{"name": c.name, "voice": c.voice.model_dump(mode="json") if c.voice else None}
                               for c in shown]})


def _named(look: Look, store: ProjectPort, args: str) -> tuple[Look, Character, str]:
    """The character the words start with (the longest name that fits: 'MRS. DALE older') and the rest; a speaker
    of the script whom the look does not list yet is added to (a copy of) the look."""
    text = " ".join(args.split())
    breakdown = store.read(Stage.BREAKDOWN)
    speaking = breakdown.characters if isinstance(breakdown, Breakdown) else []
    everyone = list(dict.fromkeys([*(c.name for c in look.characters), *speaking]))
    for name in sorted(everyone, key=len, reverse=True):
        if text.upper().startswith(name.upper()) and (len(text) == len(name) or not text[len(name)].isalnum()):
            found = look.character(name)
            if found is None:
                look = look.model_copy(deep=True)
                look.characters.append(Character(name=name))
                found = look.characters[-1]
            return look, found, text[len(name):].strip(" ,:")
    first = text.split(" ", 1)[0]
    if not everyone:
        raise StageError(f"there is no character called {first} yet", "import or write the script first")
    shown = ", ".join(everyone[:12]) + (f" and {len(everyone) - 12} more" if len(everyone) > 12 else "")
    raise StageError(f"there is no character called {first} in the script", f"name one of {shown}")


def change_voice(conv: Conversation, store: ProjectPort, look: Look, character: Character,
                 words: str) -> Iterator[Event]:
    """``character``'s voice changed as ``words`` ask, saved in one commit; then what went out of date."""
    from studio.voices import adjust

    if not words:
        current = character.voice.text if character.voice is not None else "no voice yet"
        yield say(f"{character.name} — {current}. Change it with /voice {character.name} lower, slower.",
                  author="Art Director", stage="look",
                  data={"voice": character.voice.model_dump(mode="json") if character.voice else None})
        return
    before = character.voice or _as_cast(store, look, character)
    after, unclear = adjust(before, words)
    if _sound(after) == _sound(before):
        raise StageError(f"I could not change {character.name}'s voice from {words!r} ({'; '.join(unclear)})",
                         "say lower, higher, slower, faster, deeper, older, younger, a woman's voice, pitch 30, "
                         "rate 140, voice en-gb+m3, or direction: tired")
    new_look = look.model_copy(deep=True)
    target = new_look.character(character.name)
    assert target is not None  # found in this look just now
    target.voice = after
    store.amend({Stage.LOOK: new_look}, author=store.user(), summary=f"{character.name}'s voice: {words}"[:200],
                action="voice")
    text = f"{character.name} now speaks with {after.text}."
    if unclear:
        text += f" I left out what I did not understand: {'; '.join(unclear)}."
    yield say(text, author="Art Director", stage="look",
              data={"voice": after.model_dump(mode="json"), "name": character.name, "unclear": unclear})
    yield from _stale_lines(conv, store, character.name)


def _as_cast(store: ProjectPort, look: Look, character: Character) -> VoiceProfile:
    """The voice the Art Director would cast for a character who has none yet (what the first render casts, from
    the look and the script's plain cues), so a change asked before any sound starts from it."""
    from studio.voices import cast, voice_for

    breakdown = store.read(Stage.BREAKDOWN)
    script = store.read_script()
    cast_look, _ = cast(look, breakdown if isinstance(breakdown, Breakdown) else Breakdown(),
                        script.fountain if script is not None else "")
    found = cast_look.character(character.name)
    if found is not None and found.voice is not None:
        return found.voice
    return voice_for(character.name, [c.voice for c in look.characters if c.voice is not None and c is not character])


def _sound(profile: VoiceProfile) -> dict[str, object]:
    return profile.model_dump(exclude={"person"})


def _stale_lines(conv: Conversation, store: ProjectPort, name: str) -> Iterator[Event]:
    """The Producer: which of the character's dialogue takes are out of date now, and what redoing them costs."""
    renderer = conv.renderer
    if renderer is None:
        return
    try:
        plan = renderer.sound_plan(store, write=False)
    except AuteurError:  # no shot list yet: nothing was spoken, so nothing is out of date
        return
    codes = [s.subject for s in plan.specs
             if name.upper() in {k.upper() for k in (s.parameters.get("voices") or {})}
             and renderer.sound_takes(store, s.subject)]
    if not codes:
        yield say(f"No line of {name} has been spoken yet; /render sound speaks them in the new voice.",
                  author="Producer", stage="sound", data={"stale": []})
        return
    cost = renderer.sound_plan(store, keys=codes, write=False).estimate.text
    shown = ", ".join(codes[:SHOWN]) + (f" and {len(codes) - SHOWN} more" if len(codes) > SHOWN else "")
    yield Event("question", f"{len(codes)} dialogue take{'s' if len(codes) != 1 else ''} of {name} "
                f"{'are' if len(codes) != 1 else 'is'} out of date ({shown}); /render sound redoes "
                f"{'them' if len(codes) != 1 else 'it'} ({cost}).", author="Producer", stage="sound",
                options=["/render sound"], data={"stale": codes, "estimate": cost})


# ---------------------------------------------------------------- sound takes in /takes and /take


def is_cue_key(text: str) -> bool:
    """S01_AMB, S01_FX02, M01: a cue's key (a shot's code is not)."""
    return bool(CUE_KEY.match(text.strip().upper()))


def sound_takes(conv: Conversation, store: ProjectPort, key: str) -> list[SoundTake]:
    """The key's sound takes, where the studio renders sound (a renderer without it: none)."""
    renderer: RenderPort | None = conv.renderer
    if renderer is None or not hasattr(renderer, "sound_takes") or not KEY_RE.match(key):
        return []
    return renderer.sound_takes(store, key)


def take_line(take: SoundTake) -> str:
    """'▶ take 2 audio — espeak-ng, 3.4 s: MARTA: Coffee?'."""
    what = take.text.replace("\n", " / ") if take.text else take.prompt
    temp = " TEMP" if take.temp else ""
    return f"{'▶' if take.active else ' '} take {take.number} audio{temp} — {take.engine}, {take.seconds:g} s: " \
           f"{what[:80]}"


def sound_events(store: ProjectPort, key: str, made: list[SoundTake]) -> list[Event]:
    """Each sound take of a key as something to play."""
    return [Event("artifact", f"{key} sound take {t.number}{' (active)' if t.active else ''}", author="Producer",
                  stage="sound", data={"path": store.locate(t.path), "media": "audio", "key": key, "take": t.number})
            for t in made]


def cue_takes(conv: Conversation, store: ProjectPort, key: str) -> Iterator[Event]:
    """/takes S01_AMB: a cue's sound takes."""
    key = key.strip().upper()
    made = sound_takes(conv, store, key)
    if not made:
        yield say(f"{key} has no sound takes yet. /render sound makes them.", author="Producer",
                  data={"takes": [], "sound_takes": []})
        return
    yield Event("question", f"Takes of {key}:\n" + "\n".join(take_line(t) for t in made), author="Producer",
                stage="sound", options=[f"/take {key} {t.number}" for t in made if not t.active],
                data={"takes": [], "sound_takes": [t.model_dump(mode="json") for t in made]})
    yield from sound_events(store, key, made)


def choose_sound(conv: Conversation, store: ProjectPort, key: str, number: int) -> Iterator[Event]:
    """/take S01_AMB 2, /take S01_SH003 sound 2: the person's choice of a sound take."""
    renderer = conv.require_renderer()
    chosen = renderer.choose_sound(store, key.upper(), number)
    yield say(f"{key.upper()} now uses sound take {chosen.number}: the mix and the cut use it (/render cut).",
              author="Producer", stage="sound", data={"path": store.locate(chosen.path), "take": chosen.number,
                                                      "key": key.upper()})


# ---------------------------------------------------------------- /loudness

TARGETS = {"streaming": (-16.0, -1.0), "web": (-16.0, -1.0), "broadcast": (-23.0, -1.0), "ebu": (-23.0, -1.0),
           "r128": (-23.0, -1.0), "atsc": (-24.0, -2.0), "a85": (-24.0, -2.0)}


def loudness(conv: Conversation, args: str) -> Iterator[Event]:
    """Show or set the mix's target: a name (broadcast, streaming) or an integrated loudness in LUFS (-40 to -5)."""
    store = conv.require_project()
    settings = store.manifest().settings
    wanted = args.strip().lower().replace("lufs", "").replace("−", "-").strip()
    if not wanted:
        yield say(f"The cut's mix is mastered to {settings.loudness_lufs:g} LUFS integrated, peaks under "
                  f"{settings.true_peak_db:g} dBTP. /loudness broadcast masters to -23 (EBU R128), /loudness "
                  "streaming to -16.", author="Producer", stage="cut",
                  data={"loudness_lufs": settings.loudness_lufs, "true_peak_db": settings.true_peak_db})
        return
    if wanted in TARGETS:
        lufs, peak = TARGETS[wanted]
    else:
        try:
            lufs, peak = float(wanted), settings.true_peak_db
        except ValueError:
            raise StageError(f"{args.strip()[:40]!r} is not a loudness",
                             "say /loudness -23 (LUFS), /loudness broadcast or /loudness streaming") from None
        if lufs > 0:  # "/loudness 23": the sign is implied
            lufs = -lufs
        if not -40 <= lufs <= -5:
            raise StageError(f"{lufs:g} LUFS is outside what a mix can be mastered to",
                             "choose between -40 and -5 LUFS: -16 for streaming, -23 for broadcast")
    store.set_sound_target(lufs, peak, author=store.user())
    cut = store.read(Stage.CUT)
    after = " The cut you have was mastered to another level: /render cut masters a new one." \
        if getattr(getattr(cut, "audio", None), "target_lufs", lufs) != lufs else ""
    yield say(f"The mix is now mastered to {lufs:g} LUFS integrated, peaks under {peak:g} dBTP.{after}",
              author="Producer", stage="cut", data={"loudness_lufs": lufs, "true_peak_db": peak})


# ---------------------------------------------------------------- /sound and /cue


def sound_cues(conv: Conversation, args: str) -> Iterator[Event]:
    """The cues, by scene, each with its active take (or none yet)."""
    from studio.cues import cue_text

    store = conv.require_project()
    plan = conv.require_renderer().sound_cues(store)
    scene = int(args.strip()) if args.strip().isdigit() else None
    shown = [c for c in plan.cues if scene is None or c.scene <= scene <= (c.last_scene or c.scene)]
    if not shown:
        yield say("No sound cues" + (f" in scene {scene}" if scene is not None else "") + ".", author="Producer",
                  stage="sound", data={"cues": []})
        return
    lines = [f"{cue_text(c)}  (take {plan.active[c.id]})" if c.id in plan.active else f"{cue_text(c)}  (no take yet)"
             for c in shown]
    yield say("The sound cues:\n" + "\n".join(lines) + "\nChange one with /cue S01_FX01 heavy rain on a tin roof, "
              "or /cue M01 mood tense; /render sound renders what changed.", author="Producer", stage="sound",
              data={"cues": [c.model_dump(mode="json") for c in shown]})


def cue(conv: Conversation, args: str) -> Iterator[Event]:
    """A cue's prompt (or a music cue's mood) in the person's words: one commit; its takes are then out of date."""
    from studio.cues import MOODS
    from studio.scoped import clean_value

    store = conv.require_project()
    key, _, rest = " ".join(args.split()).partition(" ")
    key = key.upper()
    if not CUE_KEY.match(key) or not rest:
        raise StageError("/cue needs a cue and what it should sound like",
                         "e.g. /cue S01_FX01 heavy rain on a tin roof, or /cue M01 mood tense (see /sound)")
    words = rest.split(" ", 1)
    renderer = conv.require_renderer()
    if words[0].lower() == "mood":
        mood = (words[1] if len(words) > 1 else "").strip().lower()
        if mood not in (*MOODS, "neutral"):
            raise StageError(f"{mood[:30]!r} is not a mood the score knows",
                             f"choose one of {', '.join(MOODS)} or neutral")
        edited = renderer.edit_cue(store, key, mood=mood)
    else:
        edited = renderer.edit_cue(store, key, prompt=clean_value(rest, f"sound of {key}", 600))
    yield say(f"{key} now asks for: {edited.prompt}" + (f" [{edited.mood}]" if edited.mood else "")
              + ". /render sound renders it again.", author="Producer", stage="sound",
              data={"cue": edited.model_dump(mode="json")})

