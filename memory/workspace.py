"""The workspace: a folder of projects, and the one the terminal chose last.

"The project used last" is what `auteur` commands without `-p` act on, so only the terminal's own choices
change it (`auteur new`, `open`, `import`, `-p`: they call `remember`). Opening or making a project is not a
choice of the terminal's: a render worker, a Slack thread or a Chainlit chat opening one leaves it alone, so a
later `auteur approve` never acts on a project someone else opened meanwhile.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from config.settings import Settings
from memory import atomic, layout
from memory.git_repo import Author, GitRepo
from memory.project_store import ProjectStore, now_iso, to_json
from studio.errors import AuteurError, InvalidName, ProjectNotFound
from studio.project import Project, check_slug, check_title, slugify

log = logging.getLogger("auteur.workspace")
STATE_DIR = ".auteur"


class Workspace:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.workspace

    # ------------------------------------------------------------ projects

    def slugs(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and (p / layout.MANIFEST).is_file() and (p / ".git").exists())

    def open(self, slug: str | None = None) -> ProjectStore:
        """The project ``slug``, or the one the terminal chose last when no slug is given (that stays as it is)."""
        if slug is None:
            slug = self.default_slug()
        if not slug or "/" in slug or "\\" in slug or slug in (".", "..") or slug.startswith("."):
            raise ProjectNotFound(f"{slug!r} is not a project name", "see `auteur list` for your projects")
        path = self.root / slug
        if not (path / layout.MANIFEST).is_file() or not (path / ".git").exists():
            known = self.slugs()
            hint = f"your projects: {', '.join(known)}" if known else 'make one with `auteur new "TITLE"`'
            raise ProjectNotFound(f"there is no project {slug!r} in {self.root}", hint)
        return ProjectStore(path, self.settings)

    def default_slug(self) -> str:
        last = self._state().get("last_project")
        if last and (self.root / last / layout.MANIFEST).is_file():
            return last
        known = self.slugs()
        if len(known) == 1:
            return known[0]
        if not known:
            raise ProjectNotFound(f"there are no projects in {self.root} yet",
                                  'make one with `auteur new "TITLE"`')
        raise ProjectNotFound("no project chosen", f"pass -p SLUG; your projects: {', '.join(known)}")

    def create(self, title: str, *, slug: str | None = None, author: Author | None = None) -> ProjectStore:
        """Make a new project: built in a temporary folder, then moved into place whole."""
        title = check_title(title)
        slug = check_slug(slug) if slug else slugify(title)
        if not slug:
            raise InvalidName(f"the title {title!r} gives no usable folder name",
                              "add letters or digits to the title, or pass --slug NAME")
        check_slug(slug)
        final = self.root / slug
        if final.exists():
            raise InvalidName(f"a project called {slug!r} already exists in {self.root}",
                              f"open it with -p {slug}, or choose another title or --slug")
        self.check_writable()
        tmp = Path(tempfile.mkdtemp(prefix=f".new-{slug}-", dir=self.root))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a project folder is not
        try:
            for folder in layout.FOLDERS:
                (tmp / folder).mkdir(parents=True, exist_ok=True)
                if not (folder + "/").startswith(layout.IGNORED):
                    (tmp / folder / ".gitkeep").touch()
            project = Project(slug=slug, title=title, created=now_iso())
            atomic.write_text(tmp / layout.MANIFEST, to_json(project))
            repo = GitRepo.init(tmp, gitignore=[*layout.IGNORED, ".DS_Store", "*.tmp"],
                                lfs_patterns=layout.LFS_PATTERNS)
            message = f"project: new project {title!r}\n\nAuteur-Stage: project\nAuteur-Action: create\n"
            repo.commit_all(message, author or Author.agent("Producer"))
            del repo
            try:
                os.rename(tmp, final)
            except OSError:
                raise InvalidName(f"a project called {slug!r} was just made by another process",
                                  f"open it with -p {slug}") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return ProjectStore(final, self.settings)

    def remove(self, slug: str) -> None:
        """Delete the project ``slug``: one just made whose first draft failed before anything was saved. A
        project with any stage drafted is never deleted here."""
        path = self.root / check_slug(slug)
        if not (path / layout.MANIFEST).is_file():
            return
        statuses = ProjectStore(path, self.settings).manifest().statuses()
        if any(status != "empty" for status in statuses.values()):
            raise AuteurError(f"the project {slug} holds work, so it was kept",
                              "remove the folder yourself if you mean to")
        shutil.rmtree(path)

    # ------------------------------------------------------------ state

    def _state_path(self) -> Path:
        return self.root / STATE_DIR / "state.json"

    def _state(self) -> dict:
        try:
            return json.loads(self._state_path().read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def remember(self, slug: str) -> None:
        """The terminal chose ``slug``: commands without -p act on it from now on."""
        state = self._state()
        if state.get("last_project") == slug:
            return
        state["last_project"] = slug
        try:
            atomic.write_text(self._state_path(), json.dumps(state, indent=2) + "\n")
        except OSError as exc:  # a read-only workspace still works, without the memory
            log.warning("could not remember the last project: %s", exc)

    def check_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.root, prefix=".probe-")
            probe.close()
        except OSError as exc:
            raise AuteurError(f"cannot use the workspace {self.root}: {exc.strerror}",
                              "set AUTEUR_WORKSPACE to a folder you can write to") from None
