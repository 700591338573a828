"""One player's profile → :class:`PlayerSummary` (runs in a pool worker or a Dask worker).

Everything is read through the project's one home for it: the loader (``core/loading``, which
also reads browser profile folders through ``core/browser``), the transcript's step spans
(``core/transcript``) for the tutorial, the world-state views (``core/worldstate``) for quests,
cases and factions. Never raises for bad input: an unreadable profile becomes an excluded
summary that carries its located problems.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from inspector_app.core.common.jsfmt import finite_number
from inspector_app.core.common.timefmt import format_duration_ms
from inspector_app.core.loading.document import LoadError, SaveDocument, SlotEntry, SlotStatus

from .model import FactionRecord, PlayerSource, PlayerSummary, ProblemInfo, QuestRecord, SaveInfo, StepRecord
from .sources import source_for

_STATUS_RANK = {"completed": 0, "skipped": 1, "open": 2}


def _stat(source: PlayerSource) -> tuple[int, int]:
    if source.kind == "url":
        return 0, 0
    try:
        st = os.stat(source.path)
    except OSError:
        return 0, 0
    return int(st.st_size), int(st.st_mtime_ns)


def _load(source: PlayerSource) -> SaveDocument:
    from inspector_app.core.loading.loader import load_bytes, load_path

    if source.kind == "url":
        import fsspec

        try:
            with fsspec.open(source.path, "rb") as fh:
                data = fh.read()
        except Exception as error:  # noqa: BLE001 — any backend failure is a located input problem
            from inspector_app.core.loading.document import Problem, Severity
            raise LoadError(Problem(Severity.ERROR, f"cannot read: {type(error).__name__}: {error}",
                                    file=source.path, code="url_unreadable")) from None
        return load_bytes(data, source.path)
    return load_path(source.path)


def _excluded(source: PlayerSource, size: int, mtime: int, problems: list[ProblemInfo]) -> PlayerSummary:
    return PlayerSummary(player_id=source.player_id, label=source.player_id, path=source.path, kind=source.kind,
                         size_bytes=size, mtime_ns=mtime, excluded=True, problems=tuple(problems))


def summarize_profile(source: PlayerSource | str | os.PathLike, *, player_id: str | None = None) -> PlayerSummary:
    """Read one profile and summarise it (see :class:`PlayerSummary`)."""
    if not isinstance(source, PlayerSource):
        src = source_for(source)
        source = PlayerSource(player_id or src.player_id, src.path, src.kind)
    elif player_id is not None:
        source = PlayerSource(player_id, source.path, source.kind)
    size, mtime = _stat(source)
    try:
        doc = _load(source)
    except LoadError as error:
        return _excluded(source, size, mtime, [ProblemInfo.from_problem(error.problem)])
    except Exception as error:  # noqa: BLE001 — a bug must not stop the other players; it is listed
        return _excluded(source, size, mtime, [ProblemInfo("error", f"could not read this profile "
                                                            f"({type(error).__name__}: {error})",
                                                            file=source.path, code="internal")])
    try:
        return _summarize_document(source, doc, size, mtime)
    except Exception as error:  # noqa: BLE001 — same: listed with the profile, never a crash
        problems = [ProblemInfo.from_problem(p) for p in doc.all_problems]
        problems.append(ProblemInfo("error", f"could not summarise this profile ({type(error).__name__}: {error})",
                                    file=source.path, code="internal"))
        return _excluded(source, size, mtime, problems)


def _number(value: Any) -> int | float | None:
    """A finite number as int (exact up to 2**53) or float; anything else None."""
    n = finite_number(value)
    if n is None:
        return None
    if isinstance(n, int) and abs(n) <= 2 ** 53:
        return n
    return float(n)


def _save_key(slot: SlotEntry) -> tuple:
    ts = _number(slot.timestamp)
    return (ts is None, ts if ts is not None else 0, slot.slot_id or "", slot.key)


def _label(doc: SaveDocument, source: PlayerSource) -> str:
    if source.kind == "browser" and doc.source:
        return f"{source.player_id} ({doc.source})"
    return source.player_id


def _summarize_document(source: PlayerSource, doc: SaveDocument, size: int, mtime: int) -> PlayerSummary:
    problems = [ProblemInfo.from_problem(p) for p in doc.all_problems]
    slots = sorted(doc.slots, key=_save_key)
    saves = tuple(SaveInfo(slot_id=s.slot_id, label=s.label, slot_type=s.slot_type,
                           status=getattr(s.status, "value", str(s.status)),
                           saved_at_ms=_number(s.timestamp), playtime_ms=_number(s.playtime),
                           problems=len(s.problems)) for s in slots)
    error_saves = sum(1 for s in slots if s.status is SlotStatus.ERROR)
    readable = [s for s in slots if s.status is not SlotStatus.ERROR and s.has_game_data]
    if not readable:
        problems.append(ProblemInfo("error", "no readable save in this profile: left out of the numbers",
                                    file=str(doc.path) if doc.path else source.path, code="playtest_no_save"))
        return PlayerSummary(player_id=source.player_id, label=_label(doc, source), path=source.path,
                             kind=source.kind, size_bytes=size, mtime_ns=mtime, excluded=True,
                             problems=tuple(problems), saves=saves, save_count=len(saves), error_saves=error_saves)
    timed = [s for s in readable if _number(s.timestamp) is not None]
    latest = timed[-1] if timed else readable[-1]
    game = latest.game_data or {}
    steps, stalled_step, stalled_ms, status = _tutorial(doc, latest, game)
    save_times = [t for t in (x.saved_at_ms for x in saves) if t is not None]
    return PlayerSummary(
        player_id=source.player_id, label=_label(doc, source), path=source.path, kind=source.kind,
        size_bytes=size, mtime_ns=mtime, excluded=False, problems=tuple(problems), saves=saves,
        tutorial_status=status, steps=steps, quests=_quests(game), cases=_cases(game), factions=_factions(game),
        playtime_ms=_number(latest.playtime),
        first_save_ms=min(save_times) if save_times else None, last_save_ms=max(save_times) if save_times else None,
        save_count=len(saves), error_saves=error_saves, stalled_step=stalled_step, stalled_ms=stalled_ms)


# -- tutorial -----------------------------------------------------------------------------------
def _tutorial(doc: SaveDocument, latest: SlotEntry, game: dict) -> tuple[tuple[StepRecord, ...], str | None,
                                                                            float | None, str]:
    from inspector_app.core.transcript.model import STEP_ORDER
    from inspector_app.core.transcript.sources import merge_saves

    # The latest save's tutorial slice holds the whole run so far (completed steps with their
    # durations, the open step, the skip): its transcript is the player's. Older saves only
    # repeat it, unless the tutorial was restarted — then the latest run is the one that counts.
    transcript = merge_saves([(latest.slot_id or latest.key, latest.game_section("tutorial"), latest.timestamp)])
    best: dict[str, tuple] = {}
    for span in transcript.spans:
        # per step: a finished run beats an open one; among equals the latest run wins
        key = (_STATUS_RANK.get(span.status, 3), -span.end)
        if span.step_id not in best or key < best[span.step_id][0]:
            best[span.step_id] = (key, span)
    tutorial = latest.game_section("tutorial")
    tutorial = tutorial if isinstance(tutorial, dict) else {}
    flags = doc.profile_flags or {}
    skipped = tutorial.get("skipped") is True or game.get("tutorialSkipped") is True or \
        str(flags.get("tutorial_skipped", "")).lower() == "true"
    completed = tutorial.get("completed") is True or game.get("tutorialComplete") is True
    prompts = {}
    for prompt in tutorial.get("promptHistory") or []:
        if isinstance(prompt, dict) and isinstance(prompt.get("stepId"), str) and \
                isinstance(prompt.get("stepIndex"), int) and not isinstance(prompt.get("stepIndex"), bool):
            prompts[prompt["stepId"]] = prompt["stepIndex"]
    records = []
    for step_id, (_, span) in best.items():
        index = STEP_ORDER.get(step_id)
        if index is None:
            index = prompts.get(step_id, len(STEP_ORDER))
        dur = span.duration_ms
        records.append(StepRecord(step_id=step_id, title=span.title or step_id, index=int(index), status=span.status,
                                  duration_ms=float(dur) if math.isfinite(dur) and dur >= 0 else None))
    records.sort(key=lambda r: (r.index, r.step_id))
    stalled_step = stalled_ms = None
    if skipped:
        status = "skipped"
    elif completed:
        status = "completed"
    else:
        status = "in-progress" if records or tutorial.get("enabled") is True else "not-started"
        current = tutorial.get("currentStep")
        started = _number(tutorial.get("stepStartedAt"))
        saved = _number(latest.timestamp)
        if isinstance(current, str) and current:
            stalled_step = current
            if started is not None and saved is not None and saved >= started:
                stalled_ms = float(saved - started)
    return tuple(records), stalled_step, stalled_ms, status


def stall_text(step: str | None, ms: float | None) -> str:
    if step is None:
        return ""
    return f"on {step} for {format_duration_ms(ms)}" if ms is not None else f"on {step}"


# -- quests, cases, factions ------------------------------------------------------------------------
def _quests(game: dict) -> tuple[QuestRecord, ...]:
    from inspector_app.core.worldstate.view_quests_story import quest_progress_rows

    out = {}
    for qid, title, status, done, total in quest_progress_rows(game.get("quests")):
        if isinstance(qid, str):
            out[qid] = QuestRecord(qid, title if isinstance(title, str) else qid, str(status or "unknown"), done, total)
    return tuple(out[k] for k in sorted(out))


def _cases(game: dict) -> tuple[QuestRecord, ...]:
    from inspector_app.core.worldstate.view_items import case_progress_rows

    out = {}
    for cid, status, done, total in case_progress_rows(game):
        if isinstance(cid, str):
            out[cid] = QuestRecord(cid, cid, str(status or "unknown"), done, total)
    return tuple(out[k] for k in sorted(out))


def _factions(game: dict) -> tuple[FactionRecord, ...]:
    from inspector_app.core.worldstate.view_factions import faction_rows

    out = {}
    for row in faction_rows(game.get("factions")):
        fid = row.get("id")
        if not isinstance(fid, str):
            continue
        fame, infamy = _number(row.get("fame")), _number(row.get("infamy"))
        rep = fame - infamy if fame is not None and infamy is not None else None
        out[fid] = FactionRecord(fid, str(row.get("name") or fid), fame, infamy, rep, row.get("attitude"))
    return tuple(out[k] for k in sorted(out))


def summarize_path(path: str | os.PathLike) -> PlayerSummary:
    """Convenience for one file (its id from the file name)."""
    return summarize_profile(Path(path))
