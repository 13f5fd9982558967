"""Semantic memory on real Qdrant (local mode) and the packaged MiniLM embeddings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from memory.recall import memory_for, project_chunks
from memory.semantic import MemoryUnavailable, close_clients
from studio.errors import AuteurError

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = json.loads((REPO / "tests/golden/recall/questions.json").read_text())


@pytest.fixture
def two_projects(workspace):
    stores = {}
    for slug, rel in QUESTIONS["projects"].items():
        store = workspace.create(slug.replace("-", " ").title(), slug=slug)
        path = REPO / rel
        store.import_script(path.name, path.read_bytes())
        stores[slug] = store
    return stores


def test_labelled_questions_reach_recall_at_5(two_projects, settings):
    memories = {slug: memory_for(store, settings) for slug, store in two_projects.items()}
    assert len(QUESTIONS["questions"]) >= 30
    found, misses = 0, []
    for q in QUESTIONS["questions"]:
        hits = memories[q["project"]].recall(q["question"], limit=5)
        keys = [(h.kind, h.key) for h in hits]
        if (q["kind"], q["key"]) in keys:
            found += 1
        else:
            misses.append((q["question"], q["key"], keys))
    recall_at_5 = found / len(QUESTIONS["questions"])
    assert recall_at_5 >= 0.9, f"recall@5 = {recall_at_5:.3f}; misses: {misses}"


def test_the_photograph_scene_comes_first(two_projects, settings):
    hits = memory_for(two_projects["night-shift"], settings).recall("who is in the photograph?")
    assert (hits[0].kind, hits[0].key) == ("scene", "3")
    assert hits[0].source == "02_Source_Creative/Scripts/script.fountain"
    assert len(hits[0].commit) == 40 and hits[0].stage == "script"


def test_projects_and_branches_never_see_each_other(two_projects, settings):
    ns = memory_for(two_projects["night-shift"], settings)
    dust = memory_for(two_projects["dust-and-iron"], settings)
    assert all("DINER" not in h.text for h in dust.recall("the diner waitress and her coffee", limit=10))
    assert all("STAGECOACH" not in h.text.upper() for h in ns.recall("the stagecoach and the sheriff", limit=10))
    store = two_projects["night-shift"]
    store.create_branch("no-kitchen")
    store.edit(store_stage("script"), b"Title: Short\n\nEXT. HIGHWAY - NIGHT\n\nA truck passes in the rain.\n",
               name="short.fountain")
    on_branch = ns.recall("who is in the photograph?", limit=10)
    assert {h.key for h in on_branch if h.kind == "scene"} == {"1"}
    store.switch_branch("main")
    assert ns.recall("who is in the photograph?")[0].key == "3", "main keeps its own points"


def store_stage(name):
    from studio.stages import Stage

    return Stage(name)


def test_reindex_reproduces_the_same_points(two_projects, settings):
    mem = memory_for(two_projects["night-shift"], settings)
    mem.sync()
    project, branch = mem.key

    def snapshot():
        points, _ = mem.memory.client.scroll(mem.memory.collection, scroll_filter=mem.memory._filter(project, branch),
                                             limit=1000, with_payload=True, with_vectors=True)
        return {str(p.id): (p.payload["text"], p.vector) for p in points}

    before = snapshot()
    counts = mem.reindex()
    assert counts["total"] == len(before) and counts["embedded"] == len(before)
    after = snapshot()
    assert after.keys() == before.keys(), "the same point ids"
    for pid, (text, vector) in before.items():
        assert after[pid][0] == text
        assert max(abs(a - b) for a, b in zip(after[pid][1], vector)) < 1e-4, "the same vectors (float noise aside)"
    assert mem.sync() == {"embedded": 0, "removed": 0, "total": len(before)}, "nothing to redo when up to date"


def test_empty_question_and_empty_project(workspace, settings):
    store = workspace.create("Blank")
    mem = memory_for(store, settings)
    with pytest.raises(AuteurError, match="nothing to remember yet"):
        mem.recall("anything?")
    with pytest.raises(AuteurError, match="question is empty"):
        mem.recall("   ")


def test_memory_survives_a_restart_and_a_lost_index(two_projects, settings, workspace_dir):
    memory_for(two_projects["night-shift"], settings).sync()
    close_clients()
    code = ("import json,sys; from config.settings import Settings; from memory.workspace import Workspace; "
            "from memory.recall import memory_for; s=Settings.from_env(); st=Workspace(s).open('night-shift'); "
            "m=memory_for(st,s); print(json.dumps(m.sync())); print(m.recall('who is in the photograph?')[0].key)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert json.loads(out[0])["embedded"] == 0, "a new process finds the points on disk"
    assert out[1] == "3"
    # The index is only an index: drop the collection and it is rebuilt from the repository.
    mem = memory_for(two_projects["night-shift"], settings)
    mem.memory.client.delete_collection(mem.memory.collection)
    mem = memory_for(two_projects["night-shift"], settings)
    assert mem.recall("who is in the photograph?")[0].key == "3"


def test_a_folder_held_by_another_process_is_a_clear_message(two_projects, settings, workspace_dir):
    close_clients()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from qdrant_client import QdrantClient; "
                               f"c=QdrantClient(path={str(workspace_dir / '.auteur' / 'qdrant')!r}); "
                               "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(MemoryUnavailable) as exc:
            memory_for(two_projects["night-shift"], settings)
        assert "in use by another Auteur process" in exc.value.problem and "QDRANT_URL" in exc.value.fix
    finally:
        holder.kill()
        holder.wait()


def test_unreachable_server_is_a_clear_message(two_projects, monkeypatch):
    from config.settings import Settings

    monkeypatch.setenv("QDRANT_URL", "http://127.0.0.1:9")
    with pytest.raises(MemoryUnavailable) as exc:
        memory_for(two_projects["night-shift"], Settings.from_env())
    assert "cannot be reached" in exc.value.problem and "QDRANT_URL" in exc.value.fix


def test_chunks_cover_every_artifact_kind(two_projects):
    chunks = project_chunks(two_projects["night-shift"])
    kinds = {c.kind for c in chunks}
    assert {"brief", "scene"} <= kinds
    scene3 = [c for c in chunks if c.kind == "scene" and c.key == "3"]
    assert len(scene3) > 1 and all(c.text.startswith("Scene 3. INT. SUNRISE DINER") for c in scene3), \
        "a long scene is several passages, each with its heading"
    ids = {(c.kind, c.key, c.part) for c in chunks}
    assert len(ids) == len(chunks), "every chunk has its own identity"
