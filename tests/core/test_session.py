"""The session behind the main window, without Qt: what is open, shown, failed, compared."""
from __future__ import annotations

from pathlib import Path

from inspector_app.core.loading.document import DocumentKind, Problem, SaveDocument, Severity, SlotEntry, SlotStatus
from inspector_app.core.session import APP_NAME, ProblemCounts, RecentFiles, Session, SlotRow, visible_text


def _slot(key: str, label: str, ts: int, payload=True) -> SlotEntry:
    return SlotEntry(key=key, slot_id=key.removeprefix("save_"), label=label, slot_type="manual",
                     status=SlotStatus.OK if payload else SlotStatus.ERROR, size_bytes=10,
                     payload={"gameData": {}} if payload else None, timestamp=ts)


def _profile(name: str = "profile.json", problems=()) -> SaveDocument:
    slots = [_slot("save_slot1", "First", 1000), _slot("save_slot2", "Second", 2000),
             _slot("save_broken", "Broken", 3000, payload=False)]
    return SaveDocument(path=Path("/data") / name, kind=DocumentKind.PROFILE, size_bytes=100, slots=slots,
                        problems=list(problems))


def test_nothing_open():
    s = Session()
    assert s.documents == [] and s.rows() == []
    assert s.window_title() == APP_NAME
    assert "Nothing loaded" in s.status_text()
    assert s.export_source() is None and not s.can_compare
    assert s.problem_counts().describe() == "No problems."


def test_loaded_profile_rows_title_and_status():
    s = Session()
    doc = _profile()
    s.document_loaded("/data/profile.json", doc)
    rows = s.rows()
    assert [r.slot.label for r in rows] == ["First", "Second", "Broken"]
    s.select(rows[1])
    assert s.window_title() == f"profile.json (Second) — {APP_NAME}"
    assert s.status_text() == "1 file, 3 slots — showing Second from profile.json"
    assert s.export_source() == ("payload", rows[1].slot, "Second")
    assert s.recent.paths() == ["/data/profile.json"]


def test_a_reload_replaces_the_document_and_clears_its_failure():
    s = Session()
    failure = Problem(Severity.ERROR, "bad JSON", file="/data/profile.json")
    s.load_failed("/data/profile.json", failure)
    assert s.problems() == [failure] and s.problem_counts() == ProblemCounts(errors=1)
    s.document_loaded("/data/profile.json", _profile())
    s.document_loaded("/data/profile.json", _profile())
    assert len(s.documents) == 1
    assert s.problems() == []


def test_problem_counts_cover_documents_and_failed_opens():
    s = Session()
    s.document_loaded("/data/a.json", _profile("a.json", [Problem(Severity.WARNING, "w"), Problem(Severity.NOTICE, "n")]))
    s.load_failed("/data/b.json", Problem(Severity.ERROR, "unreadable", file="/data/b.json"))
    counts = s.problem_counts()
    assert (counts.errors, counts.warnings, counts.notices) == (1, 1, 1)
    assert counts.describe() == "1 error, 1 warning, 1 notice"
    assert "3 problems" not in s.status_text() and "1 error" in s.status_text()


def test_comparison_pair_is_previous_and_current_older_first():
    s = Session()
    s.document_loaded("/data/profile.json", _profile())
    first, second, broken = s.rows()
    s.select(second)
    assert s.comparison_pair() is None  # nothing before
    s.select(first)
    assert s.previous is second and s.current is first
    rows = s.compare_rows()
    assert broken.key not in [r.key for r in rows] and s.can_compare
    a, b = s.comparison_pair()
    assert rows[a].key == first.key and rows[b].key == second.key  # older (timestamp 1000) is A


def test_closing_the_current_document_forgets_the_selection():
    s = Session()
    doc = _profile()
    s.document_loaded("/data/profile.json", doc)
    s.select(s.rows()[0])
    s.close_document(doc)
    assert s.current is None and s.documents == [] and s.window_title() == APP_NAME


def test_metrics_folder_names_the_window_and_status():
    s = Session()
    s.metrics_opened("/repo/benchmark-results")
    assert s.window_title() == f"benchmark-results — {APP_NAME}"
    assert "benchmark-results" in s.status_text()
    assert s.status_text("12 runs of 3 series") == "12 runs of 3 series"
    assert not s.has_saves


def test_summary_row_is_named_by_its_file():
    doc = SaveDocument(path=Path("/x/summary.json"), kind=DocumentKind.INSPECTOR_SUMMARY, size_bytes=5, summary={"a": 1})
    row = SlotRow(doc, None)
    s = Session()
    s.document_loaded("/x/summary.json", doc)
    s.select(row)
    assert s.window_title().startswith("summary.json — ")
    assert s.export_source() == ("summary", {"a": 1}, "summary")


def test_recent_files_most_recent_first_unique_and_capped():
    r = RecentFiles(["a", "b", "a", ""], limit=3)
    assert r.paths() == ["a", "b"]
    for p in ("c", "d", "b"):
        r.add(p)
    assert r.paths() == ["b", "d", "c"]


def test_visible_text_shows_bidi_and_zero_width_characters():
    assert visible_text("slot one") == "slot one"
    assert visible_text("حفظ") == "حفظ"  # right-to-left text itself is fine
    assert visible_text("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert visible_text("a\u200bb") == "a\\u200bb"
    s = Session()
    doc = SaveDocument(path=Path("/x/p.json"), kind=DocumentKind.PROFILE, size_bytes=1,
                       slots=[_slot("save_a", "Case\u202e", 1), _slot("save_b", "b", 2)])
    s.document_loaded("/x/p.json", doc)
    s.select(s.rows()[0])
    assert "\u202e" not in s.window_title() and "\\u202e" in s.window_title()
