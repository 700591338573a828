"""Generated playtests: players varied per seed, played with the demo play-through generator.

Each player runs the demo session (``core/demo/playthrough.play_session``, its timings jittered by
the seed) on a :class:`PlaytestWorld` that changes what this player does: skip the tutorial at a
step, stall on a step (and maybe give up there), abandon the session after a few saves, swing the
factions harder or softer, or end up with a save cut off mid-write. Deterministic per seed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.common.fileio import write_atomic
from inspector_app.core.demo.playthrough import play_session
from inspector_app.core.demo.profile import DEMO_START_MS, SaveWriter, encode_profile_export
from inspector_app.core.demo.world import World

BEHAVIOURS = ("complete", "skip", "stall", "stall-quit", "abandon", "error")
#: how often each behaviour is drawn for ``behaviour=None`` (a playtest is mostly finishers)
_WEIGHTS = (5, 2, 2, 1, 2, 1)
_DAY_MS = 86_400_000


class _Quit(Exception):
    """The player closes the tab."""


@dataclass(frozen=True)
class PlayerPlan:
    behaviour: str
    step: int | None            # the tutorial step the behaviour happens at (skip / stall)
    stall_ms: int               # extra time spent on that step
    quit_after_saves: int | None
    faction_scale: tuple[tuple[str, float], ...]
    seed: int


def plan_player(seed: int, behaviour: str | None = None) -> PlayerPlan:
    rng = random.Random(f"playtest-player-{seed}")
    if behaviour is None:
        behaviour = rng.choices(BEHAVIOURS, weights=_WEIGHTS)[0]
    if behaviour not in BEHAVIOURS:
        raise ValueError(f"unknown behaviour {behaviour!r}; expected one of {', '.join(BEHAVIOURS)}")
    step = rng.randrange(1, 10) if behaviour in ("skip", "stall", "stall-quit") else None
    stall_ms = rng.randrange(6, 40) * 60_000 if behaviour in ("stall", "stall-quit") else 0
    quit_after = rng.randrange(1, 4) if behaviour == "abandon" else None
    factions = ("cipher_collective", "luminari_syndicate", "memory_keepers", "vanguard_prime", "wraith_network")
    scale = tuple((f, round(rng.uniform(0.2, 1.8), 2)) for f in factions)
    return PlayerPlan(behaviour, step, stall_ms, quit_after, scale, seed)


class PlaytestWorld(World):
    """The demo world with one player's habits (see the module docstring)."""

    def __init__(self, start_ms: int, plan: PlayerPlan):
        super().__init__(start_ms)
        self.plan = plan
        self._scale = dict(plan.faction_scale)

    def complete_step(self) -> None:
        t = self.tutorial
        if t["skipped"] or not t["enabled"]:
            return
        index = t["currentStepIndex"]
        plan = self.plan
        if plan.step == index and plan.behaviour in ("stall", "stall-quit"):
            if plan.behaviour == "stall-quit":
                self.advance(plan.stall_ms)         # interval autosaves record the stall
                raise _Quit
            self.advance(plan.stall_ms)
        if plan.step == index and plan.behaviour == "skip":
            self.skip_tutorial()
            return
        super().complete_step()

    def skip_tutorial(self) -> None:
        """TutorialSystem.skipTutorial(): the tutorial ends, marked skipped, with its snapshot."""
        t = self.tutorial
        step_id, index = t["currentStep"], t["currentStepIndex"]
        t.update(enabled=False, skipped=True, currentStep=None, currentStepIndex=-1, stepStartedAt=None,
                 currentPrompt=None, lastActionAt=self.now)
        self._tutorial_snapshot("tutorial_skipped", step_id, index, {"reason": "skipped"})

    def update_control_hint(self, hint: dict) -> None:
        if self.tutorial["currentPrompt"] is not None:      # no prompt once the tutorial was skipped
            super().update_control_hint(hint)

    def modify_reputation(self, faction_id: str, delta_fame: float, delta_infamy: float, reason: str) -> None:
        k = self._scale.get(faction_id, 1.0)
        super().modify_reputation(faction_id, round(delta_fame * k), round(delta_infamy * k), reason)


def generate_player(seed: int, *, behaviour: str | None = None) -> bytes:
    """One player's localStorage export (the devtools form), about 150–650 KB."""
    plan = plan_player(seed, behaviour)
    rng = random.Random(f"playtest-start-{seed}")
    world = PlaytestWorld(DEMO_START_MS + rng.randrange(0, 14) * _DAY_MS + rng.randrange(0, 86_400) * 1000, plan)
    writer = SaveWriter(world)
    manual_saves = [0]

    def save(slot: str | int) -> None:
        writer.save_game(slot)
        manual_saves[0] += 1
        if plan.quit_after_saves is not None and manual_saves[0] >= plan.quit_after_saves:
            raise _Quit

    def autosave(_reason: str) -> None:
        writer.save_game("autosave")

    world.on_save_trigger = autosave
    try:
        play_session(world, save, seed=seed)
    except _Quit:
        pass
    storage = writer.storage
    if world.tutorial["completed"]:
        storage["tutorial_completed"] = "true"
    if world.tutorial["skipped"]:
        storage["tutorial_skipped"] = "true"
    if plan.behaviour == "error":
        keys = sorted(k for k in storage if k.startswith("save_") and k != "save_metadata")
        victim = keys[rng.randrange(len(keys))]
        storage[victim] = storage[victim][: int(len(storage[victim]) * 0.6)]     # a write cut off
    return encode_profile_export({key: storage[key] for key in sorted(storage)})


def player_file_name(n: int) -> str:
    return f"player-{n:04d}.localStorage.json"


def write_playtest_folder(folder: str | Path, n: int, *, seed: int = 0, behaviours: list[str] | None = None,
                          overwrite: bool = False) -> list[Path]:
    """``n`` generated players in ``folder`` (``player-0000.localStorage.json`` …); ``behaviours``
    cycles through the given behaviours instead of drawing them per seed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        behaviour = behaviours[i % len(behaviours)] if behaviours else None
        path = folder / player_file_name(i)
        write_atomic(path, generate_player(seed * 1_000_003 + i, behaviour=behaviour), overwrite=overwrite)
        paths.append(path)
    return paths
