"""No import cycles in our code: every cycle among our modules, with the imports that make it.

    .venv/bin/python scripts/check_cycles.py        (run by scripts/lint.sh)

The graph is grimp's (the library under import-linter) over our packages, module to module, and it holds
every import statement: at the top of a module, inside functions (the late imports that hide a cycle from
Python at start-up but not from a reader), and under ``if TYPE_CHECKING``. Each strongly connected
component of more than one module is a cycle; the script prints each with the imports inside it and exits 1.

Packages: an ``__init__`` that imports its own submodules (to re-export them) is fine and makes no cycle by
itself. The graph holds only the imports written in the code, not the parent packages Python runs first, so
``studio.fountain`` → ``studio.fountain.parser`` is one edge; it becomes a cycle only when the submodule (or
something it imports) imports the package back, e.g. ``from studio.fountain import parse`` inside
``studio.fountain.elements`` — and that is a real one: the submodule would read a half-initialised package.
Imports of third-party packages and the standard library are left out: they cannot close a cycle of ours.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

PACKAGES = ("agents", "config", "crews", "memory", "studio", "tools", "ui")
ROOT = Path(__file__).resolve().parent.parent


def import_graph(packages: Iterable[str] = PACKAGES) -> grimp.ImportGraph:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*packages, cache_dir=None)


def edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Every module of ours → the modules of ours it imports directly."""
    return {m: set(graph.find_modules_directly_imported_by(m)) - {m} for m in graph.modules}


def strongly_connected(succ: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of a directed graph (Tarjan's algorithm, without recursion).

    Each node gets an index in depth-first order and a low link: the smallest index reachable from it
    through the nodes still on the stack. A node whose low link is its own index roots a component: it
    and everything above it on the stack. Components come out sorted, each sorted.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(succ):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(succ.get(start, ()))))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(succ.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return sorted(found)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    return [c for c in strongly_connected(edges(graph)) if len(c) > 1]


def describe(graph: grimp.ImportGraph, component: list[str]) -> list[str]:
    """The imports inside a cycle: 'importer:line -> imported   statement'."""
    members = set(component)
    lines = []
    for importer in component:
        for imported in sorted(set(graph.find_modules_directly_imported_by(importer)) & members - {importer}):
            details = graph.get_import_details(importer=importer, imported=imported)
            for detail in details:
                lines.append(f"    {importer}:{detail['line_number']} -> {imported}    {detail['line_contents']}")
            if not details:
                lines.append(f"    {importer} -> {imported}")
    return lines


def main() -> int:
    graph = import_graph()
    found = cycles(graph)
    if not found:
        print(f"check_cycles: no import cycles among our {len(graph.modules)} modules "
              "(imports inside functions included)")
        return 0
    print(f"check_cycles: {len(found)} import cycle(s) among our modules:")
    for number, component in enumerate(found, 1):
        print(f"  cycle {number}: {', '.join(component)}")
        print("\n".join(describe(graph, component)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
