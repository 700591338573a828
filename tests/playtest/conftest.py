"""Generated playtests shared by the playtest tests (made once per session, read-only after)."""
from __future__ import annotations

import pytest

from inspector_app.core.playtest.generate import BEHAVIOURS, write_playtest_folder

#: a dozen players: every behaviour twice (complete, skip, stall, stall-quit, abandon, error)
N_PLAYERS = 12


@pytest.fixture(scope="session")
def playtest_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("playtest") / "players"
    write_playtest_folder(folder, N_PLAYERS, seed=1, behaviours=list(BEHAVIOURS))
    return folder


@pytest.fixture(scope="session")
def summaries(playtest_folder):
    from inspector_app.core.playtest import discover_sources, summarize_profile

    sources, problems = discover_sources([playtest_folder])
    assert not problems
    return [summarize_profile(s) for s in sources]
