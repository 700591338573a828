"""CompareView / CompareDialog driven through their real widgets (offscreen)."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from inspector_app.core.diff import DiffKind
from inspector_app.ui.diff import CompareDialog, CompareView
from inspector_app.ui.diff.diff_model import KIND, NEW, OLD, PATH

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def candidates(game_fixtures):
    def load(name):
        return orjson.loads((game_fixtures / "saves" / name).read_bytes())
    return [
        ("slot1", load("save_slot1.fresh.json")),
        ("slot2", load("save_slot2.midgame.json")),
        ("Before Memory Parlor!", load("save_before-memory-parlor.large.json")),
    ]


def wait_ready(qtbot, view, action):
    with qtbot.waitSignal(view.sigDiffReady, timeout=10_000):
        action()


def find_row(model, parent, label):
    for row in range(model.rowCount(parent)):
        index = model.index(row, PATH, parent)
        if model.data(index) == label:
            return index
    raise AssertionError(f"{label!r} not under {model.data(parent)!r}")


@pytest.fixture
def view(qtbot, candidates):
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    wait_ready(qtbot, widget, lambda: widget.set_candidates(candidates))
    return widget


def test_defaults_to_the_two_newest_slots_and_shows_the_summary(view):
    assert view.current_pair() == (1, 2)
    assert view.combo_a.currentText() == "slot2" and view.combo_b.currentText() == "Before Memory Parlor!"
    lines = view.summary_model.texts()
    assert "Tutorial  (1)" in lines
    assert "7/13 → 13/13 steps (completed)" in lines
    assert "The Luminari Syndicate attitude hostile → neutral (cascade from The Wraith Network)" in lines
    assert "Differences" not in view.status_label.text() and "added" in view.status_label.text()


def test_tree_rows_are_grouped_and_coloured(view):
    model = view.diff_model
    game = find_row(model, view.tree_view.rootIndex(), "gameData")
    quests = find_row(model, game, "quests")
    by_id = find_row(model, quests, "byId")
    hollow = find_row(model, by_id, "case_001_hollow_case")
    status = find_row(model, hollow, "status")
    assert model.data(status.siblingAtColumn(KIND)) == "changed"
    assert model.data(status.siblingAtColumn(OLD)) == '"active"'
    assert model.data(status.siblingAtColumn(NEW)) == '"completed"'
    from inspector_app.ui import theme

    # the theme's "changed" tint (light or dark palette alike)
    assert model.data(status, Qt.ItemDataRole.BackgroundRole).name() == theme.value_colors()["changed_bg"].name()
    tutorial = find_row(model, game, "tutorial")
    snapshots = find_row(model, tutorial, "promptHistorySnapshots")
    assert model.data(snapshots.siblingAtColumn(OLD)) == "7 entries appended, 5 dropped from the front"
    assert model.data(snapshots.siblingAtColumn(KIND)) == "+7 −5"


def test_selecting_a_row_reveals_its_path(qtbot, view):
    model = view.diff_model
    game = find_row(model, view.tree_view.rootIndex(), "gameData")
    quests = find_row(model, game, "quests")
    view.tree_view.expand(quests)
    by_id = find_row(model, quests, "byId")
    hollow = find_row(model, by_id, "case_001_hollow_case")
    status = find_row(model, hollow, "status")
    with qtbot.waitSignal(view.sigRevealPath) as blocker:
        view.select_tree_row(status)
    assert blocker.args == ["b", ("gameData", "quests", "byId", "case_001_hollow_case", "status")]


def test_choosing_other_slots_reruns_and_swap_flips(qtbot, view):
    wait_ready(qtbot, view, lambda: view.combo_a.setCurrentIndex(0))
    assert view.current_pair() == (0, 2)
    assert "0/13 → 13/13 steps (completed)" in view.summary_model.texts()
    wait_ready(qtbot, view, lambda: qtbot.mouseClick(view.swap_button, Qt.MouseButton.LeftButton))
    assert view.current_pair() == (2, 0)
    assert "13/13 → 0/13 steps, now at 'welcome'" in view.summary_model.texts()
    wait_ready(qtbot, view, lambda: view.combo_b.setCurrentIndex(2))
    assert view.result.is_empty
    assert view.summary_model.texts() == ["No differences — the two saves are identical. (A and B are the same slot)"]


def test_filter_and_kind_toggles_narrow_the_tree(qtbot, view):
    total = sum(view.diff_model.tree.counts[0])
    wait_ready(qtbot, view, lambda: qtbot.keyClicks(view.filter_edit, "luminari"))
    shown = view.diff_model.tree
    assert 0 < sum(shown.counts[0]) < total
    assert all("luminari" in (str(e.path) + str(e.old) + str(e.new)).lower()
               for e in (shown.node_entry(n) for n in range(len(shown))) if e is not None)
    assert "showing" in view.status_label.text()
    wait_ready(qtbot, view, lambda: view.filter_edit.clear())
    wait_ready(qtbot, view, lambda: view.kind_added.setChecked(False))
    tree = view.diff_model.tree
    assert tree.counts[0][0] == 0 and tree.counts[0][1] > 0
    wait_ready(qtbot, view, lambda: view.hide_times.setChecked(True))
    tree = view.diff_model.tree
    assert not any((e := tree.node_entry(n)) is not None and e.kind is DiffKind.CHANGED and e.path[-1] == "timestamp"
                   for n in range(len(tree)))


def test_comparing_two_other_saves_starts_unfiltered_and_offers_the_filter_again(qtbot, view):
    total = view.result.total
    wait_ready(qtbot, view, lambda: qtbot.keyClicks(view.filter_edit, "luminari"))
    filtered = sum(view.diff_model.tree.counts[0])
    assert 0 < filtered < total
    status = view.status_label.text()
    assert "filtered: “luminari”" in status and "href='clear-filter'" in status
    # swapping A and B is the same question: the filter stays
    wait_ready(qtbot, view, lambda: qtbot.mouseClick(view.swap_button, Qt.MouseButton.LeftButton))
    assert view.filter_edit.text() == "luminari" and 0 < sum(view.diff_model.tree.counts[0]) < view.result.total
    # two other saves: every difference shows, the old filter is one click away
    wait_ready(qtbot, view, lambda: view.combo_a.setCurrentIndex(0))
    assert view.current_pair() == (0, 1)
    assert view.filter_edit.text() == "" and sum(view.diff_model.tree.counts[0]) == view.result.total
    from PySide6.QtWidgets import QToolButton
    clear_button = view.filter_edit.findChild(QToolButton)
    qtbot.waitUntil(lambda: not clear_button.isVisible())     # an empty field shows no clear button
    assert "href='restore-filter'" in view.status_label.text() and "cleared" in view.status_label.text()
    wait_ready(qtbot, view, lambda: view.status_label.linkActivated.emit("restore-filter"))
    assert view.filter_edit.text() == "luminari"
    assert 0 < sum(view.diff_model.tree.counts[0]) < view.result.total
    wait_ready(qtbot, view, lambda: view.status_label.linkActivated.emit("clear-filter"))
    assert view.filter_edit.text() == "" and "filtered" not in view.status_label.text()
    assert "restore-filter" not in view.status_label.text()
    # a kind toggle is a filter too, and says so
    wait_ready(qtbot, view, lambda: view.kind_added.setChecked(False))
    assert "removed and changed only" in view.status_label.text()


def test_new_selection_cancels_the_running_comparison(qtbot, candidates):
    view = CompareView()
    qtbot.addWidget(view)
    view.set_candidates(candidates)          # starts (1, 2)
    first = view._task
    with qtbot.waitSignal(view.sigDiffReady, timeout=10_000):
        view.select(0, 1)                    # supersedes it at once
    assert first.is_cancelled()
    assert view.current_pair() == (0, 1)
    assert "0/13 → 7/13 steps, now at 'collect_more_evidence'" in view.summary_model.texts()


def test_compare_dialog_is_non_modal_and_reveals_summary_lines(qtbot, candidates):
    dialog = CompareDialog(candidates=candidates)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "compareDialog" and not dialog.isModal()
    with qtbot.waitSignal(dialog.view.sigDiffReady, timeout=10_000):
        dialog.show()
    assert dialog.isVisible()
    summary = dialog.view.summary_model
    row = summary.index_of("The Hollow Case active → completed")
    assert row.isValid()
    with qtbot.waitSignal(dialog.sigRevealPath) as blocker:
        dialog.view.summary_view.setCurrentIndex(row)
    assert blocker.args == ["b", ("gameData", "quests", "byId", "case_001_hollow_case")]
    dialog.close()
    assert not dialog.isVisible()


@pytest.fixture(scope="module")
def big_pair():
    from inspector_app.core.demo.synthetic import _base_payload, build_large_save
    return [("base", _base_payload()), ("grown", orjson.loads(build_large_save(600)))]


def test_compare_runs_in_the_worker_and_caps_long_groups(qtbot, big_pair, monkeypatch):
    """The diff and the sentences arrive through the worker's signal; meanwhile the GUI thread
    keeps serving its event loop. A 600-line group shows 50 lines and "… and 550 more"."""
    import threading

    from inspector_app.ui.diff.summary_model import GROUP_CAP, IsMoreRole, MORE_STEP
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    worker_threads = []
    # The worker holds the comparison open until the GUI thread's loop has run a timer tick with the
    # task still in flight: a fast machine can otherwise finish the diff before the loop first runs.
    gui_ticked_during_compare = threading.Event()
    from PySide6.QtCore import QTimer
    timer = QTimer(view)
    timer.timeout.connect(lambda: view._task is not None and gui_ticked_during_compare.set())
    timer.start(0)
    import inspector_app.ui.diff.compare_view as cv
    real = cv.compare_payloads

    def spy(a, b):
        worker_threads.append(threading.current_thread() is not threading.main_thread())
        gui_ticked_during_compare.wait(timeout=30)
        return real(a, b)
    monkeypatch.setattr(cv, "compare_payloads", spy)
    with qtbot.waitSignal(view.sigDiffReady, timeout=60_000):
        view.set_candidates(big_pair)
        assert view.summary_model.rowCount() == 0       # nothing computed synchronously
    timer.stop()
    assert worker_threads == [True]
    assert gui_ticked_during_compare.is_set(), "the GUI thread did not run its loop while the worker compared"
    model = view.summary_model
    groups = {d: len(items) for d, items in model.groups()}
    assert groups == {"Story flags": 150, "Inventory": 600}
    inv = model.index_of("Inventory  (600)")
    assert model.rowCount(inv) == GROUP_CAP + 1
    more = model.index(GROUP_CAP, 0, inv)
    assert model.data(more, IsMoreRole) and model.data(more).startswith("… and 550 more")
    assert not view.summary_view.isExpanded(inv)            # long groups start collapsed
    view.summary_view.doubleClicked.emit(more)
    assert model.rowCount(inv) == GROUP_CAP + MORE_STEP + 1
    while model.data(model.index(model.rowCount(inv) - 1, 0, inv), IsMoreRole):
        model.show_more(model.index(model.rowCount(inv) - 1, 0, inv))
    assert model.rowCount(inv) == 600 and "1 group" not in view.status_label.text()
    assert "750 designer-level changes in 2 groups" in view.status_label.text()


def test_copy_and_export_the_whole_comparison(qtbot, view, tmp_path):
    from PySide6.QtWidgets import QApplication
    with qtbot.waitSignal(view.sigExportFinished, timeout=60_000) as copied:
        qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert copied.args[0] is True
    text = QApplication.clipboard().text()
    assert text.startswith("# Comparison: slot2 → Before Memory Parlor!")
    assert "- ~ The Hollow Case active → completed" in text and "## All differences" in text
    with qtbot.waitSignal(view.sigExportFinished, timeout=60_000) as exported:
        view.export_to(tmp_path / "cmp.json")
    assert exported.args[0] is True
    report = orjson.loads((tmp_path / "cmp.json").read_bytes())
    assert report["a"] == "slot2" and report["counts"]["total"] == view.result.total
    assert any(g["domain"] == "Quests" for g in report["changes"])
    assert any(d["path"] == "$.gameData.quests.byId.case_001_hollow_case.status" for d in report["differences"])
    with qtbot.waitSignal(view.sigExportFinished, timeout=60_000) as again:
        view.export_to(tmp_path / "cmp.json")               # exists: refused, never replaced
    assert again.args[0] is False and "exists" in again.args[1]
    from PySide6.QtWidgets import QFileDialog
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "exec", lambda self: 1)
        mp.setattr(QFileDialog, "selectedFiles", lambda self: [str(tmp_path / "cmp.md")])
        with qtbot.waitSignal(view.sigExportFinished, timeout=60_000) as md:
            view.export_actions["md"].trigger()
    assert md.args[0] is True and (tmp_path / "cmp.md").read_text("utf-8").startswith("# Comparison")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp.json", "cmp.md"]


def test_playtime_is_readable(view):
    lines = [t for t in view.summary_model.texts() if t.startswith("Playtime")]
    assert lines and ("h " in lines[0] or "m " in lines[0])
    assert ":" not in lines[0].split("(")[0]              # not 0:06:24: the app's one playtime format
