"""Standing guard (issue 9): a deterministic sample of mutated fixtures opened in the real
window, every tab visited, in a subprocess — crashes (a signal or a non-zero exit) and freezes
are counted and must be 0. The child resumes after a crash, so one run counts them all."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from fuzz.mutants import MUTATORS, fixture_files, mutant

pytestmark = [pytest.mark.gui, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SEED = 20261130
RANDOM_MUTANTS = 10


def _targeted(save: dict) -> dict[str, bytes]:
    """Mutants aimed at what once crashed or froze the window: tutorial time stamps of 0
    ("never"), 1e17, 2**64 and 1.7e308, NaN, a number where a list belongs, deep nesting."""
    out: dict[str, bytes] = {}
    text = orjson.dumps(save)
    tut = save.get("gameData", {}).get("tutorial", {})
    for name, literal in (("ts0", b"0"), ("ts1e17", b"1e17"), ("ts2p64", b"18446744073709551616"),
                          ("ts1e308", b"1.7e308"), ("tsNaN", b"NaN"), ("tsneg", b"-1")):
        marker = b"7777777777771"
        mutated = dict(save, gameData=dict(save["gameData"], tutorial=dict(
            tut, startedAt=int(marker), stepStartedAt=0, lastActionAt=int(marker),
            completedTimeline={k: int(marker) for k in (tut.get("completedTimeline") or {"welcome": 1})})))
        out[name] = orjson.dumps(mutated).replace(marker, literal)
    out["completedSteps-number"] = orjson.dumps(
        dict(save, gameData=dict(save["gameData"], tutorial=dict(tut, completedSteps=5, promptHistory=3))))
    out["gameData-string"] = orjson.dumps(dict(save, gameData="oops"))
    out["deep"] = text[:-1] + b',"deep":' + b"[" * 1000 + b"]" * 1000 + b"}"
    return out


@pytest.fixture(scope="module")
def mutants(game_fixtures, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("mutants")
    rng = random.Random(SEED)
    files = fixture_files(game_fixtures)
    save = orjson.loads((game_fixtures / "saves" / "save_slot2.midgame.json").read_bytes())
    blobs = _targeted(save)
    for k in range(RANDOM_MUTANTS):
        src = rng.choice(files)
        recipe, data = mutant(rng, src.read_bytes(), rng.choice(files).read_bytes())
        blobs[f"{k:02d}-{src.stem}-{recipe}"[:120]] = data
    paths = []
    for name, data in blobs.items():
        p = folder / f"{name.replace('/', '_')}.json"
        p.write_bytes(data)
        paths.append(p)
    assert len(MUTATORS) >= 8 and len(paths) == RANDOM_MUTANTS + 9
    return paths


def test_mutants_never_crash_or_freeze_the_window(mutants):
    crashes, freezes, done = [], [], {}
    remaining = list(mutants)
    while remaining:
        proc = subprocess.run([sys.executable, "-m", "tests.ui.gui_smoke_child", *map(str, remaining)],
                              cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
        started = None
        for line in proc.stdout.splitlines():
            word, _, rest = line.partition(" ")
            if word == "START":
                started = int(rest.split(" ", 1)[0])
            elif word == "DONE":
                n, outcome = rest.split(" ", 1)
                done[remaining[int(n)].name] = outcome
                if outcome.startswith("frozen"):
                    freezes.append(remaining[int(n)].name)
                started = None
        if proc.returncode == 0 and started is None:
            break
        # the child died (signal or exit code) while on file ``started``: count it, go on after it
        crashed = started if started is not None else len(remaining)
        if crashed < len(remaining):
            crashes.append((remaining[crashed].name, proc.returncode, proc.stderr[-2000:]))
        remaining = remaining[crashed + 1:]
    assert crashes == [] and freezes == []
    assert len(done) == len(mutants)
    opened = {name for name, o in done.items() if o == "opened"}
    assert {"ts0.json", "ts1e17.json", "ts2p64.json", "ts1e308.json", "tsneg.json", "completedSteps-number.json"} <= opened, done
