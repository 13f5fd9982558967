"""The studio's face in Chainlit: engine events in, Chainlit messages, steps and elements out.

The engine (studio.session) is synchronous and a crew run can take minutes, so
each turn runs in a worker thread and its events are shown as they come. The
thread always runs the turn to its end, even when the page is closed: the work
is committed, and a new chat can /open the project to see it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import logging
import re
import threading
import uuid
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.input_widget import Select, Switch

from config.container import Container
from config.settings import Settings
from studio.errors import AuteurError
from studio.session import Event, Turn
from studio.stages import STAGE_ORDER

log = logging.getLogger("auteur.studio")

AGENTS = ("Producer", "Screenwriter", "Art Director", "Cinematographer")
TIERS = ("draft", "standard", "cinematic", "sketch")
MB = 1024 * 1024
SCREENPLAY_TYPES = (".fountain", ".spmd", ".txt", ".fdx", ".pdf")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp")
MAX_SCREENPLAY = 20 * MB
MAX_IMAGE = 20 * MB
NO_PROJECT = "(none)"
OPTION = "auteur_option"  # the one action name every option button uses
# Command icons (lucide names) for the composer's / menu; any other command gets the terminal.
ICONS = {"help": "circle-help", "new": "file-plus", "open": "folder-open", "status": "list-checks",
         "next": "skip-forward", "approve": "check", "revise": "pencil", "variants": "layers",
         "pick": "mouse-pointer-click", "structure": "network", "scenes": "clapperboard", "shots": "camera",
         "prompt": "text-cursor-input", "branch": "git-branch", "history": "history", "restore": "undo-2",
         "recall": "search", "export": "download", "render": "image", "takes": "images"}
# The spinner (RUNNING) is kept for a stage the crew is working on; a draft waits for the person.
TASK_STATUS = {"empty": cl.TaskStatus.READY, "draft": cl.TaskStatus.READY,
               "approved": cl.TaskStatus.DONE, "stale": cl.TaskStatus.FAILED}
TASK_WORDS = {"empty": "to do", "draft": "draft, waiting for you", "approved": "approved",
              "stale": "stale, to redo"}
# Command output that lines up in columns is shown as it is, not as Markdown.
TABLE_KEYS = ("stages", "history", "shots", "scenes", "commands", "hits")


# ---------------------------------------------------------------- plain helpers


class UploadRefused(AuteurError):
    """A file the studio will not pass on: wrong type, too large, or not what its name says."""


def check_upload(name: str, size: int, head: bytes) -> str:
    """'screenplay' or 'image', or UploadRefused naming the problem and the fix."""
    suffix = Path(name).suffix.lower()
    if suffix in SCREENPLAY_TYPES:
        kind, limit = "screenplay", MAX_SCREENPLAY
    elif suffix in IMAGE_TYPES:
        kind, limit = "image", MAX_IMAGE
    else:
        raise UploadRefused(f"{name} is not a screenplay or a reference image ({suffix or 'no extension'})",
                            "upload a screenplay as Fountain (.fountain), Final Draft (.fdx) or PDF, "
                            "or a reference image as PNG, JPEG or WebP")
    if size > limit:
        raise UploadRefused(f"{name} is {size / MB:.1f} MB, more than the {limit // MB} MB a {kind} may have",
                            "export a smaller file (a text PDF, or the image at a lower resolution) and "
                            "upload it again" if kind == "image" or suffix == ".pdf" else
                            "split the screenplay, or check that this is the right file")
    if size == 0:
        raise UploadRefused(f"{name} is empty", "upload the file again; it may not have finished saving")
    if kind == "image" and not _looks_like_image(suffix, head):
        raise UploadRefused(f"{name} is not a {suffix.lstrip('.').upper()} image (its content says otherwise)",
                            "save it again as PNG, JPEG or WebP and upload that file")
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise UploadRefused(f"{name} is not a PDF (it does not start like one)",
                            "export the screenplay as PDF again, or upload the Fountain or FDX file")
    if suffix in (".fountain", ".spmd", ".txt") and b"\0" in head:
        raise UploadRefused(f"{name} is not a text file, so it cannot be a Fountain screenplay",
                            "export the screenplay as Fountain (plain text), FDX or PDF")
    return kind


def _looks_like_image(suffix: str, head: bytes) -> bool:
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def user_folder(identifier: str) -> str:
    """A folder name for a signed-in user: readable, and never the same for two identifiers."""
    plain = re.sub(r"[^a-z0-9._-]+", "-", identifier.strip().lower()).strip(".-")[:48]
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:10]
    return f"{plain}-{digest}" if plain else digest


def text_of(event: Event) -> str:
    """Markdown for an event, under the speaker's name. Images a model writes as Markdown are shown
    as text, never fetched."""
    text = event.text.replace("![", "!\\[")
    if event.kind == "error":
        problem, fix = event.data.get("error"), event.data.get("fix")
        if problem:
            return f"**Problem:** {problem.rstrip('.')}." + (f"\n\n**Fix:** {fix}" if fix else "")
        return f"**Problem:** {text}"
    name = f"**{event.author}:**" if event.author in AGENTS else ""
    if any(key in event.data for key in TABLE_KEYS) and "\n" in text:
        return f"{name}\n```text\n" + event.text.replace("```", "'''") + "\n```"
    return f"{name} {text}".strip()


def element_for(path: Path, root: Path) -> cl.Image | cl.Video | cl.Pdf | cl.File | None:
    """The element that shows a file of the workspace; None for a file outside it or missing."""
    try:
        path = path.resolve()
        path.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg", ".webp", ".gif"):
        return cl.Image(name=path.name, path=str(path), display="inline", size="large")
    if suffix in (".mp4", ".webm", ".mov"):
        return cl.Video(name=path.name, path=str(path), display="inline")
    if suffix == ".pdf":
        return cl.Pdf(name=path.name, path=str(path), display="inline")
    return cl.File(name=path.name, path=str(path), display="inline")


def model_profiles() -> tuple[str, list[str]]:
    from agents.llm.profiles import load_profiles

    default, profiles = load_profiles()
    return default, list(profiles)


def tiny_notice(model: str | None) -> str | None:
    from agents.llm.profiles import get_profile

    try:
        profile = get_profile(model)
    except AuteurError:
        return None
    if not profile.tiny:
        return None
    return (f"Note: the crew runs on `{profile.name}`, a tiny model: no keys and nothing leaves this "
            "machine, but its prose is placeholder-weak (every stage stays valid). To connect a real model, "
            "start the studio with `AUTEUR_MODEL` set, e.g. `AUTEUR_MODEL=ollama/llama3.1 auteur ui`, or choose "
            "a profile in the chat settings; the profiles and what each needs are in `config/models.yaml`.")


def starters() -> list[cl.Starter]:
    return [cl.Starter(label="Develop an idea", message="Develop an idea", icon="/public/avatars/screenwriter.svg"),
            cl.Starter(label="Bring my screenplay", message="Bring my screenplay",
                       icon="/public/avatars/producer.svg")]


def commands() -> list[dict[str, Any]]:
    from studio.commands import REGISTRY

    return [{"id": c.name, "icon": ICONS.get(c.name, "terminal"), "description": f"{c.usage} — {c.help}",
             "button": False} for c in REGISTRY.commands.values()]


# ---------------------------------------------------------------- the studio (one per server)


def password_matches(password: str, secret: str) -> bool:
    """A user's password against AUTEUR_USERS: plain, or 'sha256:<hex>' of it."""
    import hashlib

    if secret.startswith("sha256:"):
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest, secret[len("sha256:"):].strip().lower())
    return hmac.compare_digest(password.encode("utf-8"), secret.encode("utf-8"))


class Studio:
    """What every chat shares: settings, sign-in, and which projects a crew is working on."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._busy: dict[Path, threading.Event] = {}
        self._busy_lock = threading.Lock()

    @classmethod
    def from_env(cls) -> Studio:
        return cls(Settings.from_env())

    # sign-in
    def check_password(self, username: str, password: str) -> cl.User | None:
        """AUTEUR_USERS: each user their own password (and projects). AUTEUR_PASSWORD alone: one shared
        password that lets people into one shared studio, whatever name they type."""
        name = username.strip()[:120]
        if not name:
            return None
        users = dict(self.settings.auth_users)
        if users:
            secret = users.get(name)
            if secret is None or not password_matches(password, secret):
                return None
            return cl.User(identifier=name, metadata={"provider": "password", "own_folder": True})
        expected = self.settings.auth_password or ""
        if not expected or not hmac.compare_digest(password.encode("utf-8"), expected.encode("utf-8")):
            return None
        return cl.User(identifier=name, metadata={"provider": "password", "own_folder": False})

    def check_header(self, headers) -> cl.User | None:
        name = (headers.get(self.settings.auth_header or "") or "").strip() if self.settings.auth_header else ""
        return cl.User(identifier=name[:120], metadata={"provider": "header"}) if name else None

    def settings_for(self, user: cl.User | None) -> Settings:
        """Without sign-in, the shared workspace; signed in, a workspace of the user's own."""
        if user is None or not (self.settings.auth_users or self.settings.auth_password or self.settings.auth_header):
            return self.settings
        name = "".join(ch for ch in user.identifier if ch not in "<>\n")[:80] or "Director"
        if not (user.metadata or {}).get("own_folder", True):  # the shared password: the shared studio
            return dataclasses.replace(self.settings, user_name=name)
        return dataclasses.replace(self.settings, workspace=self.settings.workspace / "users" / user_folder(
            user.identifier), user_name=name, user_email=f"{user_folder(user.identifier)}@auteur.local")

    # one crew run per project at a time, across chats (a refreshed page opens a new chat)
    def claim(self, project: Path | None) -> threading.Event | None:
        if project is None:
            return None
        with self._busy_lock:
            done = threading.Event()
            self._busy[project] = done
            return done

    def release(self, project: Path | None, done: threading.Event | None) -> None:
        if done is None:
            return
        done.set()
        with self._busy_lock:
            if self._busy.get(project) is done:
                del self._busy[project]

    def busy_in(self, workspace: Path) -> list[Path]:
        """The projects of a workspace a crew is working on now."""
        with self._busy_lock:
            return [p for p, done in self._busy.items() if p.parent == workspace and not done.is_set()]

    def running(self, project: Path) -> threading.Event | None:
        with self._busy_lock:
            return self._busy.get(project)


# ---------------------------------------------------------------- one chat


class Chat:
    """One browser chat: its engine session, its running turn, and what the page shows."""

    def __init__(self, studio: Studio, user: cl.User | None) -> None:
        self.studio = studio
        self.settings = studio.settings_for(user)
        self.container = Container(self.settings)
        self.model: str | None = None  # None: AUTEUR_MODEL, else the default profile
        self.tier = TIERS[0]
        self.session = self.container.session()
        self.turn_lock = threading.Lock()
        self.used_groups: set[str] = set()
        self.actions: dict[str, list[cl.Action]] = {}
        self.steps: dict[str, cl.Step] = {}
        self.jobs: dict[str, tuple[cl.Message, float]] = {}
        self.tasklist: cl.TaskList | None = None
        self.working: str | None = None  # the stage a crew member is working on
        self.slugs: list[str] = []  # the projects the settings offer
        self.shown = NO_PROJECT  # the project the settings show as open

    @classmethod
    async def create(cls, studio: Studio, user: cl.User | None) -> Chat:
        return await asyncio.to_thread(cls, studio, user)  # the first one imports the engine

    # ------------------------------------------------------------ start

    async def start(self) -> None:
        await cl.context.emitter.set_commands(commands())
        await self.send_settings()
        for event in await asyncio.to_thread(self.session.greet):
            await self.show(event)
        notice = tiny_notice(self.model)
        if notice:
            await producer(notice)
        for project in self.studio.busy_in(self.session.workspace.root):
            # A page refreshed during a crew run: the run goes on; say where to find it.
            await producer(f"The crew is still working on {project.name} from an earlier page: "
                           f"`/open {project.name}` to follow it.")

    def profile(self) -> str:
        """The name of the model profile the crew uses in this chat."""
        from agents.llm.profiles import get_profile

        try:
            return get_profile(self.model).name
        except AuteurError:
            return model_profiles()[0]

    def open_slug(self) -> str:
        return self.session.store.slug if self.session.store else NO_PROJECT

    async def send_settings(self) -> None:
        """The chat settings, showing what this chat uses now (sent again when that changes)."""
        self.slugs = self.session.workspace.slugs()
        self.shown = self.open_slug()
        await cl.ChatSettings([
            Select(id="project", label="Project", values=[NO_PROJECT, *self.slugs], initial_value=self.shown,
                   description="Open one of your projects in this chat."),
            Select(id="model", label="Model profile", values=model_profiles()[1], initial_value=self.profile(),
                   description="Which language model the crew uses (config/models.yaml)."),
            Select(id="tier", label="Quality tier", values=list(TIERS), initial_value=self.tier,
                   description="Image and video quality for boards and clips."),
            Switch(id="auto_approve", label="Auto-approve", initial=self.session.auto_approve,
                   description="Approve each stage as soon as it is drafted."),
        ]).send()

    # ------------------------------------------------------------ what the person does

    async def message(self, message: cl.Message) -> None:
        for element in message.elements or []:
            upload = await self.read_upload(element)
            if upload is not None:
                await self.run(Turn(upload=upload))
        text = (message.content or "").strip()
        if message.command:
            text = f"/{message.command} {text}".strip()
        if text:
            await self.run(Turn(text=text))
        elif not message.elements:
            await self.run(Turn(text=""))

    async def read_upload(self, element) -> tuple[str, bytes] | None:
        name = Path(element.name or "upload").name
        path = Path(element.path) if element.path else None
        try:
            if path is None or not path.is_file():
                raise UploadRefused(f"{name} did not arrive", "upload it again")
            size = path.stat().st_size
            with path.open("rb") as f:
                head = f.read(16)
            check_upload(name, size, head)
        except UploadRefused as exc:
            await self.show(Event("error", str(exc), data=exc.to_dict()))
            return None
        return name, await asyncio.to_thread(path.read_bytes)

    async def action(self, action: cl.Action) -> None:
        group, choice = action.payload.get("group", ""), action.payload.get("choice", "")
        if not choice or group in self.used_groups:
            return  # a button pressed twice runs once
        self.used_groups.add(group)
        for other in self.actions.pop(group, []):
            await other.remove()
        if choice == "Revise":
            await self.ask_notes(action.payload.get("stage"))
            return
        await self.run(Turn(choice=choice))

    async def ask_notes(self, stage: str | None) -> None:
        lead = next((s.lead for s in STAGE_ORDER if s.value == stage), "crew")
        what = f"the {stage}" if stage else "it"
        reply = await cl.AskUserMessage(content=f"**Producer:** What should the {lead} change in {what}?",
                                        author="Producer",
                                        timeout=1800, raise_on_timeout=False).send()
        notes = (reply or {}).get("output", "").strip()
        if notes:
            await self.run(Turn(text=f"/revise {stage}: {notes}" if stage else f"/revise {notes}"))

    async def settings_changed(self, values: dict[str, Any]) -> None:
        if values.get("auto_approve") is not None:
            self.session.auto_approve = bool(values["auto_approve"])
        if values.get("tier") in TIERS:
            self.tier = values["tier"]
            if hasattr(self.session, "quality_tier"):
                self.session.quality_tier = self.tier
        model = values.get("model")
        if model and model != self.profile():
            await self.switch_model(model)
        project = values.get("project")
        if project and project != NO_PROJECT and project != self.open_slug():
            await self.run(Turn(text=f"/open {project}"))

    async def switch_model(self, model: str) -> None:
        from agents.llm.profiles import get_profile

        try:
            get_profile(model)
        except AuteurError as exc:
            await self.show(Event("error", str(exc), data=exc.to_dict()))
            return
        await self.hold()
        try:
            slug = self.session.store.slug if self.session.store else None
            fresh = await asyncio.to_thread(self.container.session, project=slug, model=model,
                                            auto_approve=self.session.auto_approve)
            for kept in ("turns", "focus", "scene_focus", "quality_tier", "pending_render", "awaiting_notes"):
                setattr(fresh, kept, getattr(self.session, kept))
            self.session, self.model = fresh, model
        finally:
            self.turn_lock.release()
        await producer(f"The crew now works with `{model}`.")
        notice = tiny_notice(model)
        if notice:
            await producer(notice)

    # ------------------------------------------------------------ running a turn

    async def hold(self) -> None:
        """Wait, off the event loop, until this chat's running turn is over; then it is ours."""
        if self.turn_lock.acquire(blocking=False):
            return
        await producer("The crew is still on your last request; this comes right after.")
        while not self.turn_lock.acquire(blocking=False):
            await asyncio.sleep(0.2)

    def _project_of(self, turn: Turn) -> Path | None:
        text = (turn.text or "").strip()
        if text.startswith("/open ") and text[6:].strip():
            return self.session.workspace.root / text[6:].strip()
        return self.session.store.path if self.session.store else None

    async def run(self, turn: Turn) -> None:
        """One turn in a worker thread, its events shown as they come.

        The thread owns the turn until its end: a closed page or a stop does not
        cut a crew run short, and the next turn of this chat waits for it.
        """
        await self.hold()
        started = False
        try:
            target = self._project_of(turn)
            other = self.studio.running(target) if target else None
            if other is not None and not other.is_set():
                await producer("The crew is still working on this project (from an earlier page); "
                               "I'll go on when they are done.")
                while not other.is_set():
                    await asyncio.sleep(0.2)
            loop = asyncio.get_running_loop()
            queue: asyncio.Queue[Event | None] = asyncio.Queue()

            def put(item: Event | None) -> None:
                try:
                    loop.call_soon_threadsafe(queue.put_nowait, item)
                except RuntimeError:  # the server is shutting down: the turn still finishes
                    pass

            def work() -> None:
                project = self.session.store.path if self.session.store else None
                done = self.studio.claim(project)
                try:
                    for event in self.session.handle(turn):
                        if done is None and self.session.store is not None:
                            project = self.session.store.path
                            done = self.studio.claim(project)
                        put(event)
                except Exception as exc:  # a bug, not a person's mistake: say so and keep the chat
                    log.exception("turn failed")
                    put(Event("error", str(exc), data={
                        "error": f"something went wrong inside the studio ({type(exc).__name__}: {exc})",
                        "fix": "try again; if it happens again, the server log has the details"}))
                finally:
                    self.studio.release(project, done)
                    finished.set()
                    put(None)

            finished = threading.Event()
            worker = threading.Thread(target=work, name="auteur-turn")
            worker.start()
            started = True
            await cl.context.emitter.task_start()
            try:
                while (event := await queue.get()) is not None:
                    await self.show(event)
            finally:
                await cl.context.emitter.task_end()
            await self.after_turn()
        finally:
            # The next turn starts once this one is shown to its end. If the page went away
            # mid-turn, the worker still owns the turn: the lock is freed when it finishes.
            if not started or finished.is_set():
                self.turn_lock.release()
            else:
                threading.Thread(target=lambda: (finished.wait(), self.turn_lock.release()),
                                 name="auteur-turn-release", daemon=True).start()

    async def after_turn(self) -> None:
        for step in list(self.steps.values()):
            await self.close_step(step, "stopped")
        self.steps.clear()
        self.working = None
        await self.refresh_tasks()
        if self.session.workspace.slugs() != self.slugs or self.open_slug() != self.shown:
            await self.send_settings()

    # ------------------------------------------------------------ events → the page

    async def show(self, event: Event) -> None:
        if event.kind == "progress":
            await self.progress(event)
            return
        elements = []
        if event.kind == "artifact" and event.data.get("path"):
            element = element_for(Path(event.data["path"]), self.session.workspace.root)
            if element is not None:
                elements.append(element)
        actions = await self.option_actions(event)
        author = event.author if event.author in AGENTS else "Producer"
        if event.kind == "error":
            await cl.ErrorMessage(content=text_of(event), author=author).send()
        else:
            await cl.Message(content=text_of(event), author=author, actions=actions, elements=elements).send()

    async def option_actions(self, event: Event) -> list[cl.Action]:
        """Buttons for a question's options; those of an earlier question go (it is superseded)."""
        if not event.options:
            return []
        for old in list(self.actions):
            self.used_groups.add(old)
            for action in self.actions.pop(old):
                await action.remove()
        group = uuid.uuid4().hex
        actions = [cl.Action(name=OPTION, label=option, tooltip=option,
                             payload={"choice": option, "group": group, "stage": event.stage})
                   for option in event.options]
        self.actions[group] = actions
        return actions

    async def progress(self, event: Event) -> None:
        job = event.data.get("job")
        if job is not None:
            await self.job_progress(str(job), event)
            return
        key = f"{event.author}:{event.stage}"
        if event.data.get("state") == "running":
            self.working = event.stage
            parent = cl.context.current_step  # beside the turn's messages, where the person acted
            # Named after the agent, so that the step shows the agent's avatar.
            step = cl.Step(name=event.author, type="tool", show_input=False,
                           default_open=False, parent_id=parent.id if parent else None)
            step.start = _now()
            step.output = event.text
            await step.send()
            self.steps[key] = step
            await self.refresh_tasks()
        elif event.data.get("state") == "done":
            step = self.steps.pop(key, None)
            if step is not None:
                await self.close_step(step, event.text)
            self.working = None
        else:
            await cl.Message(content=text_of(event), author=event.author).send()

    async def close_step(self, step: cl.Step, text: str) -> None:
        step.output = f"{step.output}\n{text}".strip()
        step.end = _now()
        await step.update()

    async def job_progress(self, job: str, event: Event) -> None:
        fraction = max(0.0, min(1.0, float(event.data.get("progress") or 0.0)))
        label = event.data.get("label") or event.text or f"render {job[:8]}"
        bar = "█" * round(fraction * 20) + "░" * (20 - round(fraction * 20))
        content = f"{label}\n\n`{bar}` {fraction:.0%}"
        known = self.jobs.get(job)
        if known is None:
            message = cl.Message(content=content, author=event.author if event.author in AGENTS else "Producer")
            await message.send()
            self.jobs[job] = (message, fraction)
        elif fraction >= 1.0 or fraction - known[1] >= 0.05:
            known[0].content = content
            await known[0].update()
            self.jobs[job] = (known[0], fraction)

    async def refresh_tasks(self) -> None:
        store = self.session.store
        if store is None:
            return
        manifest = await asyncio.to_thread(store.manifest)
        if self.tasklist is None:
            self.tasklist = cl.TaskList()
        self.tasklist.tasks = []
        done = 0
        for stage in STAGE_ORDER:  # the list numbers them
            status = manifest.status(stage).value
            done += status == "approved"
            state, words = TASK_STATUS[status], TASK_WORDS[status]
            if stage.value == self.working:
                state, words = cl.TaskStatus.RUNNING, f"the {stage.lead} is working on it"
            await self.tasklist.add_task(cl.Task(title=f"{stage.value} — {words}", status=state))
        self.tasklist.status = f"{manifest.title}: {done} of {len(STAGE_ORDER)} approved"
        await self.tasklist.send()


async def producer(text: str) -> None:
    """A word from the Producer that the face itself says (notices, waiting)."""
    await cl.Message(content=f"**Producer:** {text}", author="Producer").send()


def _now() -> str:
    from chainlit.utils import utc_now

    return utc_now()


def chat() -> Chat | None:
    return cl.user_session.get("chat")
