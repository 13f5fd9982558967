"""A director hears the animatic in the real studio (`auteur ui`, Chromium): a screenplay uploaded and taken to its
shots and boards, `/render sound` through the estimate and the Render button, a player whose file the page fetches
and the browser plays, `/voice` listing the cast, `/voice MARTA lower, slower` naming the takes it made stale, and
`/render cut` giving a video whose file has a sound track at the loudness target, only MARTA's lines spoken again,
`/takes` playing a shot's spoken takes and `/export stems` giving three players, each file the cut's length.

The oracles are outside the code under test: the files the page links to, fetched through the page's own URLs and
read with Python's `wave` and with ffmpeg (its stream listing and its `ebur128` loudness meter); the browser's own
decoding of the media (`duration`, `currentTime` while playing); and which shots MARTA speaks in, read here from
the shot list on disk ("NAME: words" lines)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import wave
from pathlib import Path

import pytest

from tests.browser.conftest import REPO, running_studio
from tests.browser.test_directing import drawn, say
from tests.browser.test_studio import command, idle, press, shot, wait_text

CROSSING = REPO / "tests" / "corpus" / "sound" / "the_crossing.fountain"
SHOTS = "02_Source_Creative/ShotLists/shots.json"
LOOK = "01_Assets/look.json"
TARGET_LUFS = -16.0  # the project's default loudness (ISSUE16: -16 LUFS integrated)


@pytest.fixture(scope="module")
def studio(tmp_path_factory, artifacts):
    yield from running_studio(tmp_path_factory, artifacts, "sound")


# ---------------------------------------------------------------- what the page holds, fetched as the page does


def media_ready(locator) -> float:
    """The element's duration once the browser has read its file's header (NaN/0 means it could not)."""
    return locator.evaluate("m => new Promise(ok => { if (m.readyState >= 1) ok(m.duration);"
                            " else { m.onloadedmetadata = () => ok(m.duration); m.onerror = () => ok(-1); m.load(); }"
                            " })")


def fetched(page, locator) -> bytes:
    """The file behind a media element, fetched with the page's own cookies from the URL the page uses."""
    src = locator.evaluate("m => m.currentSrc || m.src || (m.querySelector('source') || {}).src")
    assert src, "the player has no source"
    answer = page.request.get(src)
    assert answer.status == 200, (answer.status, src)
    return answer.body()


def ffmpeg_report(data: bytes, suffix: str, tmp: Path, *filters: str) -> str:
    """What ffmpeg says about a file (stream listing; with filters, their log)."""
    from tools.render.video import ffmpeg

    path = tmp / f"fetched{suffix}"
    path.write_bytes(data)
    args = [ffmpeg(), "-hide_banner", "-nostats", "-i", str(path)]
    args += [*filters, "-f", "null", "-"] if filters else []
    return subprocess.run(args, capture_output=True, text=True, timeout=60).stderr


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def duration(report: str) -> float:
    """The container's duration from ffmpeg's listing ("Duration: 00:00:57.21")."""
    h, m, sec = re.search(r"Duration: (\d+):(\d+):([\d.]+)", report).groups()
    return int(h) * 3600 + int(m) * 60 + float(sec)


def speakers_shots(folder: Path, name: str) -> set[str]:
    """Codes of the shots whose dialogue has a line of ``name`` (the shot list's "NAME: words" lines)."""
    shots = json.loads((folder / SHOTS).read_text(encoding="utf-8"))["shots"]
    said = re.compile(rf"^{re.escape(name)}\b[^:]*:", re.I | re.M)
    return {f"S{s['scene']:02d}_SH{s['number']:03d}" for s in shots if said.search(s.get("dialogue") or "")}


def speeches(script: Path) -> int:
    """How many speeches the screenplay has, read here: a cue in capitals after a blank line (a '^' of dual dialogue
    and an extension allowed), with words under it that are not a parenthetical."""
    lines = script.read_text(encoding="utf-8").splitlines()
    cue = re.compile(r"^[A-Z][A-Z .'-]*(?: \([A-Z.]+\))?(?: \^)?$")
    heading = re.compile(r"^(INT|EXT)\.")
    found = 0
    for k in range(1, len(lines) - 1):
        if not lines[k - 1].strip() and cue.match(lines[k].strip()) and not heading.match(lines[k]):
            below = [x.strip() for x in lines[k + 1:k + 3] if x.strip()]
            found += any(not x.startswith("(") for x in below)
    return found


def voice_of(folder: Path, name: str) -> dict:
    look = json.loads((folder / LOOK).read_text(encoding="utf-8"))
    return next(c["voice"] for c in look["characters"] if c["name"].upper() == name)


# ---------------------------------------------------------------- the journey


def test_a_director_hears_the_animatic(page, studio, artifacts, tmp_path):
    folder = drawn(page, studio, CROSSING)

    # /render sound: the estimate first, nothing spoken before the person presses Render.
    command(page, "render", "sound")
    wait_text(page, "Estimate:")
    assert not (folder / "03_Renders" / "Sound").exists(), "nothing is rendered before the person says so"
    shot(page, artifacts, "16_sound_estimate")
    jobs = int(re.search(r"Estimate: (\d+) sound takes", page.get_by_text("Estimate:").last.inner_text()).group(1))
    press(page, "Render")
    wait_text(page, "sound takes rendered", timeout=120_000)
    # One bar for the whole batch, not a message per line and per cue.
    assert page.get_by_text(re.compile(rf"of {jobs} done")).count() == 1
    wait_text(page, f"{jobs} of {jobs} done")
    player = page.locator("audio").last
    player.wait_for(state="attached")
    seconds = media_ready(player)
    assert seconds > 1, f"the browser could not read the preview (duration {seconds})"
    wav = fetched(page, player)
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getframerate() == 48000 and w.getnframes() > 48000, (w.getframerate(), w.getnframes())
        assert abs(w.getnframes() / w.getframerate() - seconds) < 0.1, "the page plays the file it links to"
    played = player.evaluate("a => a.play().then(() => new Promise(ok => setTimeout(() => ok(a.currentTime), 700)),"
                             " e => -1)")
    assert played > 0, "the preview plays in the page"
    player.evaluate("a => a.pause()")
    shot(page, artifacts, "16_sound_rendered")

    # The question's /voice button lists the cast: every speaker of the script, each on a line of its own.
    press(page, "/voice")
    wait_text(page, "The voices:")
    listed = page.get_by_text("The voices:").last.locator("xpath=ancestor::*[contains(., 'CAPTAIN')][1]")
    rows = [r for r in listed.inner_text().splitlines() if " — " in r]
    assert sorted(r.split(" — ")[0].strip() for r in rows) == ["CAPTAIN", "MARTA", "RADIO", "TOMAS"], rows
    shot(page, artifacts, "16_sound_cast")
    say(page, "/voice NOBODY lower")  # a name the script does not have: the problem and the names to use
    wait_text(page, "there is no character called NOBODY in the script")
    wait_text(page, "name one of")

    # /voice MARTA lower, slower: said, saved, and MARTA's spoken shots named as out of date (read from the shots).
    before = voice_of(folder, "MARTA")
    say(page, "/voice MARTA lower, slower")
    wait_text(page, "MARTA now speaks with")
    wait_text(page, "out of date", timeout=60_000)
    after = voice_of(folder, "MARTA")
    assert after["pitch"] < before["pitch"] and after["rate"] < before["rate"], (before, after)
    hers = speakers_shots(folder, "MARTA")
    assert hers, "MARTA speaks in the script"
    stale = page.get_by_text(re.compile(r"dialogue takes? of MARTA")).last.inner_text()
    named = set(re.findall(r"S\d{2}_SH\d{3}", stale))
    assert named and named <= hers, (sorted(named), sorted(hers))
    count = int(re.search(r"(\d+) dialogue takes? of MARTA", stale).group(1))
    assert count == len(hers), (count, sorted(hers))
    shot(page, artifacts, "16_sound_voice_changed")

    # /render cut: MARTA's lines spoken again first, then a video whose file has a stereo AAC track at the target.
    command(page, "render", "cut")
    wait_text(page, "The cut:", timeout=180_000)
    idle(page, timeout=60_000)
    said = page.get_by_text(re.compile(r"The cut: \d+ shots")).last.inner_text()
    assert f"Its sound: {speeches(CROSSING)} lines" in said and "LUFS" in said, said
    video = page.locator("video").last
    video.wait_for(state="attached")
    length = media_ready(video)
    assert length > 1, f"the browser could not read the cut (duration {length})"
    mp4 = fetched(page, video)
    streams = ffmpeg_report(mp4, ".mp4", tmp_path)
    assert re.search(r"Audio: aac.*48000 Hz, stereo", streams), streams
    loudness = ffmpeg_report(mp4, ".mp4", tmp_path, "-vn", "-af", "ebur128=peak=true")
    integrated = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", loudness)[-1])
    assert abs(integrated - TARGET_LUFS) <= 1.0, integrated
    cut_seconds = duration(streams)
    shot(page, artifacts, "16_sound_cut")

    # The cut spoke MARTA's lines again, and only hers: a second take for each of her shots, one for the others'.
    takes = {p.name: len(list(p.glob("*_take*.wav"))) for p in (folder / "03_Renders" / "Sound").iterdir()}
    assert {k for k, n in takes.items() if n == 2} == hers, takes
    for code in hers:  # in her new voice (as look.json has it), and slower: each new take lasts longer
        folder_of = folder / "03_Renders" / "Sound" / code
        sidecar = json.loads((folder_of / f"{code}_take02.json").read_text(encoding="utf-8"))
        voices = {line["voice"] for line in sidecar["lines"] if line["speaker"] == "MARTA"}
        assert voices and all(f"pitch {after['pitch']}, {after['rate']} wpm" in v for v in voices), voices
        assert wav_seconds(folder_of / f"{code}_take02.wav") > wav_seconds(folder_of / f"{code}_take01.wav"), code
    # /takes of one of her shots: both spoken takes listed, the new one active, each a player whose file plays.
    first = sorted(hers)[0]
    heard_before = page.locator("audio").count()
    command(page, "takes", first)
    wait_text(page, "▶ take 2 audio")
    for name in (f"{first}_take01.wav", f"{first}_take02.wav"):
        page.get_by_text(name, exact=True).last.wait_for()
    page.wait_for_function(f"() => document.querySelectorAll('audio').length >= {heard_before + 2}")
    assert media_ready(page.locator("audio").last) > 0.5
    shot(page, artifacts, "16_sound_takes")

    # /export stems: three players in the chat (dialogue, effects, music), each file the length of the cut's MP4.
    command(page, "export", "stems")
    wait_text(page, "Exported stems")
    for stem in ("dialogue.wav", "effects.wav", "music.wav"):
        page.get_by_text(stem, exact=True).last.wait_for()
        player = page.get_by_text(stem, exact=True).last.locator("xpath=following::audio[1]")
        with wave.open(io.BytesIO(fetched(page, player))) as w:
            assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (2, 48000, 3), stem
            assert abs(w.getnframes() / 48000 - cut_seconds) <= 0.05, (stem, w.getnframes() / 48000, cut_seconds)
        assert media_ready(player) > 1, stem
    tops = [page.get_by_text(stem, exact=True).last.bounding_box()["y"] for stem in ("dialogue.wav", "effects.wav",
                                                                                       "music.wav")]
    assert tops == sorted(tops), "the stems show in the order an editor lays them out"
    shot(page, artifacts, "16_sound_stems")
