"""Mutation fuzzing of the game's fixtures in every run (issue 9's standing guard), plus the
replay of every input that once failed (``tests/fuzz/corpus/``).

Bounded and seeded: ``INSPECTOR_FUZZ_MUTANTS`` mutants per run (default 48) with the seed
``INSPECTOR_FUZZ_SEED`` (default: today's date, so each day tries new mutants and any
failure is reproducible by setting the seed it prints). A failing mutant is written to the
test's temporary folder; copy it into ``tests/fuzz/corpus/`` with the fix.
"""
from __future__ import annotations

import datetime as _dt
import os
import random
from pathlib import Path

import pytest

from fuzz.check import problems_with
from fuzz.mutants import fixture_files, mutant

CORPUS = Path(__file__).resolve().parent / "corpus"


def _seed() -> int:
    env = os.environ.get("INSPECTOR_FUZZ_SEED")
    if env:
        return int(env)
    return int(_dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d"))


def test_mutants_of_the_game_fixtures_end_cleanly(game_fixtures, tmp_path):
    seed = _seed()
    count = int(os.environ.get("INSPECTOR_FUZZ_MUTANTS", "48"))
    files = fixture_files(game_fixtures)
    assert files, "no fixture files to mutate"
    rng = random.Random(seed)
    failures: list[str] = []
    for i in range(count):
        src, other = rng.choice(files), rng.choice(files)
        recipe, data = mutant(rng, src.read_bytes(), other.read_bytes())
        path = tmp_path / f"mutant-{i:03d}-{src.stem}.json"
        path.write_bytes(data)
        bad = problems_with(path)
        if bad:
            failures.append(f"{path} ({src.name}: {recipe}): " + "; ".join(bad))
        else:
            path.unlink()
    assert not failures, f"seed {seed} (set INSPECTOR_FUZZ_SEED={seed} to repeat):\n" + "\n".join(failures)


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.iterdir() if p.suffix == ".json"), ids=lambda p: p.name)
def test_every_input_that_once_failed_now_ends_cleanly(path):
    assert problems_with(path) == []


def test_the_corpus_is_not_empty():
    assert len([p for p in CORPUS.iterdir() if p.suffix == ".json"]) >= 8
