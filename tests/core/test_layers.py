"""The apps stand in layers: each imports only the layers below it, so the keel (core, workforce,
people, access, casework) never knows a stage of the journey, and a new stage is one new app.

Every import is read from the source, including those inside functions (where an import hides
a loop rather than breaking it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import cairn

SRC = Path(cairn.__file__).resolve().parent

# Bottom to top. An app may import its own layer's modules and any layer below.
LAYERS: list[set[str]] = [
    {"core"},  # machinery: facts, rules and the engine, audit, the stage registry
    {"workforce"},  # staff, teams, allocations
    {"people"},  # people, children, relationships, matching
    {"access"},  # the access policy and grants: knows people and workforce, no stage
    {"casework"},  # My work, search, the child's record and its frame: no stage
    # The journey: a later stage may use an earlier one, never the other way round.
    {"frontdoor"},
    {"protection"},
    {"legal"},
    {"care"},
    {"permanence"},
    {"leaving_care"},
    {"fostering"},
    {"oversight", "insight", "returns"},  # read across the journey
    # Inspections: the improvement plan's evidence is insight's indicators, and the inspection's
    # Annex A is asked of returns.
    {"inspection"},
    {"synth"},  # builds a whole authority
]
KEEL = {"core", "workforce", "people", "access", "casework"}
STAGES = set().union(*LAYERS[5:]) - {"synth"}


def _apps() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())


def _imports(app: str) -> list[tuple[str, int, str, bool]]:
    """(file, line, imported cairn app, inside a function) for every import in `app`."""
    found = []
    for path in sorted((SRC / app).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
        functions = [n for n in ast.walk(tree)
                     if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        inner = {id(n) for f in functions for n in ast.walk(f)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    names = [".".join(base + ([node.module] if node.module else []))]
                else:
                    names = [node.module or ""]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "cairn" and len(parts) > 1 and parts[1] != app \
                        and (SRC / parts[1] / "__init__.py").exists():
                    found.append((str(path.relative_to(SRC)), node.lineno, parts[1],
                                  id(node) in inner))
    return found


def _layer(app: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def test_every_app_has_a_layer():
    assert set(_apps()) == set().union(*LAYERS)


def test_core_and_people_import_no_stage():
    wrong = [(f, line, to) for app in ("core", "people") for f, line, to, _ in _imports(app)
             if to in STAGES]
    assert wrong == []


def test_the_keel_imports_no_stage_and_core_imports_no_app():
    assert _imports("core") == []
    wrong = [(f, line, to) for app in KEEL for f, line, to, _ in _imports(app) if to in STAGES]
    assert wrong == []


def test_each_app_imports_only_the_layers_below_it():
    wrong = [(f, line, to) for app in _apps() for f, line, to, _ in _imports(app)
             if _layer(to) >= _layer(app) and to != app]
    assert wrong == []


def test_no_import_cycle_between_apps():
    edges = {app: {to for _, _, to, _ in _imports(app)} for app in _apps()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges[start] - seen:
            if nxt == goal or reaches(nxt, goal, seen | {nxt}):
                return True
        return False

    cycles = sorted(app for app in edges if reaches(app, app, set()))
    assert cycles == []


def test_no_import_hides_inside_a_function():
    """An import inside a function is how a loop between apps hides; the layers need none."""
    inner = [(f, line, to) for app in _apps() for f, line, to, inside in _imports(app)
             if inside]
    assert inner == []
