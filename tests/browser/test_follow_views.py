"""Follow live, what the views do after a reload: the world-state tree highlights what changed,
the Tutorial Timeline shows the new content in the same range, an open comparison compares the
new content."""
from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import Qt

from inspector_app.core.transcript.sources import transcript_from_document
from inspector_app.ui.main_window import TRANSCRIPT
from inspector_app.ui.models.json_tree_model import CHANGE_ROLE, CHANGED_BELOW

pytestmark = pytest.mark.gui

KEYS = ("save_metadata", "save_slot1", "save_slot2")


def _profile(game_fixtures) -> dict[str, str]:
    items = json.loads((game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
                       .read_text(encoding="utf-8"))
    return items


def _write(path, items: dict[str, str]) -> None:
    """Replace the file the way a capture script does (write a sibling, rename over)."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _edit_save(items: dict[str, str], key: str, edit) -> dict[str, str]:
    save = json.loads(items[key])
    edit(save)
    return {**items, key: json.dumps(save, ensure_ascii=False)}


def _open(qtbot, window, path):
    window.follower.debounce_ms = 50
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000):
        window.open_path(path)
    qtbot.waitUntil(lambda: window.current_row() is not None and window.current_row().slot is not None)
    return window.current_row()


def test_tree_highlights_what_the_reload_changed(qtbot, window, tmp_path, game_fixtures):
    items = {k: v for k, v in _profile(game_fixtures).items() if k in KEYS}
    path = tmp_path / "profile.localStorage.json"
    _write(path, items)
    row = _open(qtbot, window, path)
    key = row.slot.key
    model = window.state_inspector.model
    before = json.loads(items[key])["gameData"]["tutorial"]["lastActionAt"]

    changed = _edit_save(items, key, lambda s: s["gameData"]["tutorial"].update(lastActionAt=before + 1000))
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        _write(path, changed)
    doc, changes = reloaded.args
    assert changes.changed == [key]
    qtbot.waitUntil(lambda: window.current_row().document is doc and bool(model.changed_paths))

    leaf = model.index_for_path(("gameData", "tutorial", "lastActionAt"))
    assert leaf.data(CHANGE_ROLE) == f"{before} → {before + 1000}"
    assert leaf.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Changed in the last reload" in leaf.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_for_path(("gameData",)).data(CHANGE_ROLE) == CHANGED_BELOW
    same = model.index_for_path(("gameData", "tutorial", "startedAt"))
    assert same.data(CHANGE_ROLE) is None and same.data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index_for_path(("version",)).data(CHANGE_ROLE) is None

    # another slot shown: the highlights belong to the reload, not to the new view
    other = next(r for r in window.slot_model.rows() if r.slot is not None and r.slot.key != key)
    window._select_key(other.key)
    qtbot.waitUntil(lambda: window.current_row().slot.key == other.slot.key)
    assert model.changed_paths == {}
    assert model.index_for_path(("gameData",)).data(CHANGE_ROLE) is None


def test_timeline_shows_the_reloaded_content_in_the_same_range(qtbot, window, tmp_path, game_fixtures):
    full = _profile(game_fixtures)
    items = {k: v for k, v in full.items() if k in KEYS}
    path = tmp_path / "profile.localStorage.json"
    _write(path, items)
    _open(qtbot, window, path)
    panel = window.tabs.show_tab(TRANSCRIPT)
    qtbot.waitUntil(lambda: panel.transcript is not None and len(panel.transcript) > 0, timeout=15000)
    first = len(panel.transcript)
    lo, hi = panel.timeline.visible_range_ms()
    view = (lo + (hi - lo) * 0.2, hi - (hi - lo) * 0.3)
    region = (lo + (hi - lo) * 0.3, hi - (hi - lo) * 0.4)
    panel.timeline.set_visible_range_ms(*view)
    panel.timeline.set_region_ms(*region)

    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        _write(path, {**items, "save_autosave": full["save_autosave"]})    # the game autosaves
    doc, changes = reloaded.args
    assert changes.added == ["save_autosave"]
    expected = len(transcript_from_document(doc))
    assert expected > first
    qtbot.waitUntil(lambda: panel.source_document is doc and len(panel.transcript) == expected, timeout=15000)
    assert panel.timeline.visible_range_ms() == pytest.approx(view, abs=1.0)
    assert panel.timeline.region_ms() == pytest.approx(region, abs=1.0)
    assert panel.timeline.marker_count() > 0


def test_open_comparison_compares_the_reloaded_content(qtbot, window, tmp_path, game_fixtures):
    items = {k: v for k, v in _profile(game_fixtures).items() if k in KEYS}
    path = tmp_path / "profile.localStorage.json"
    _write(path, items)
    _open(qtbot, window, path)
    window.actionCompare.trigger()
    dlg = window.findChild(type(window._compare_dialog), "compareDialog")
    assert dlg is not None and dlg.isVisible()
    qtbot.waitUntil(lambda: not dlg.view.is_busy() and dlg.view.result is not None, timeout=20000)
    a, b = dlg.view.current_pair()
    pair = [window._compare_candidate_rows[i].slot.key for i in (a, b)]
    assert not any(e.path == ("gameData", "followMarker") for e in dlg.view.result.entries)
    first = dlg.view.result

    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000):
        _write(path, _edit_save(items, pair[1], lambda s: s["gameData"].update(followMarker="reloaded")))
    qtbot.waitUntil(lambda: dlg.view.result is not first and not dlg.view.is_busy(), timeout=20000)
    a, b = dlg.view.current_pair()
    assert [window._compare_candidate_rows[i].slot.key for i in (a, b)] == pair     # the same pair
    added = [e for e in dlg.view.result.entries if e.path == ("gameData", "followMarker")]
    assert len(added) == 1 and added[0].new == "reloaded"
