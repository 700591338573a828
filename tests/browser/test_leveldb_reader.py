"""The LevelDB reader, Chromium's key/value encoding and the Firefox reader on databases made
here (no browser needed): logs with fragments, tables with Snappy blocks, latest-wins,
deletes, torn tails, undecodable records, discovery of profile folders."""
from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import cramjam
import pytest

from inspector_app.core.browser import discovery, leveldb
from inspector_app.core.browser.chromium import decode_string, read_chromium_storage
from inspector_app.core.browser.firefox import origin_from_folder, read_firefox_ls
from inspector_app.core.browser.storage import list_origins, load_browser_storage, looks_like_browser_storage
from inspector_app.core.loading.document import DocumentKind, LoadError, Severity
from inspector_app.core.loading.loader import load_path

from .leveldb_writer import (
    batch, chromium_key, chromium_string, log_bytes, manifest_bytes, table_bytes, write_chromium_db,
)

ORIGIN = "http://127.0.0.1:8080"
SAVE = '{"version":1,"timestamp":1762106784700,"playtime":384000,"slot":"slot2","gameData":{},"meta":{}}'
INDEX = '{"slot2":{"timestamp":1762106784700,"playtime":384000,"version":1,"slotType":"manual","label":"Ünïcødé ✓"}}'


def _db(files: dict[str, bytes]) -> leveldb.Database:
    return leveldb.read_database(files)


def test_log_fragments_across_blocks_and_latest_wins():
    big = b"x" * 100_000                      # spans 4 blocks: FIRST, MIDDLE, MIDDLE, LAST
    data = log_bytes([batch(1, [(b"a", b"1"), (b"b", big)]), batch(3, [(b"a", b"2"), (b"c", None)]),
                      batch(5, [(b"b", None)])])
    db = _db({"000003.log": data})
    assert db.damage == []
    assert {k: e.value for k, e in db.entries.items()} == {b"a": b"2", b"b": None, b"c": None}
    assert {k: e.value for k, e in db.live()} == {b"a": b"2"}
    assert db.last_sequence == 5


def test_truncated_last_record_is_a_torn_write_not_corruption():
    data = log_bytes([batch(1, [(b"a", b"1")]), batch(2, [(b"b", b"y" * 50_000)])])
    db = _db({"000003.log": data[:-100]})
    assert [(k, e.value) for k, e in db.live()] == [(b"a", b"1")]
    assert [d.kind for d in db.damage] == [leveldb.TORN]


def test_garbage_record_is_located_and_the_rest_is_read():
    good = log_bytes([batch(1, [(b"a", b"1")])])
    bad = struct.pack("<IHB", 0, 5, 1) + b"\x07\x00\x00\x00\x00"     # batch shorter than its header
    pad = b"\x00" * (leveldb.BLOCK_SIZE - len(good) - len(bad))
    later = log_bytes([batch(9, [(b"z", b"2")])])
    db = _db({"000003.log": good + bad + pad + later})
    assert {k: e.value for k, e in db.live()} == {b"a": b"1", b"z": b"2"}
    assert len(db.damage) == 1 and db.damage[0].file == "000003.log" and db.damage[0].offset == len(good)
    assert "write batch" in db.damage[0].message


@pytest.mark.parametrize("compress", [True, False])
def test_table_blocks_with_shared_prefixes_and_log_overrides(compress):
    entries = [(f"key{i:04d}".encode(), i + 1, f"value {i} ".encode() * 20) for i in range(500)]
    entries.append((b"key0001", 600, None))                     # a newer delete inside the table
    table = table_bytes(entries, compress=compress)
    if compress:
        assert b"value 3 value 3" not in table                  # really compressed
    log = log_bytes([batch(1000, [(b"key0002", b"from the log")])])
    files = {"000005.ldb": table, "000006.log": log, "CURRENT": b"MANIFEST-000004\n",
             "MANIFEST-000004": manifest_bytes(6, [5], 1000, 7)}
    db = _db(files)
    assert db.damage == []
    live = {k: e.value for k, e in db.live()}
    assert b"key0001" not in live
    assert live[b"key0002"] == b"from the log"
    assert live[b"key0499"] == b"value 499 " * 20
    assert len(live) == 499


def test_manifest_decides_which_files_are_live():
    stale = table_bytes([(b"k", 1, b"stale")])           # an obsolete table left behind
    files = {"000002.ldb": stale, "000005.ldb": table_bytes([(b"k", 2, None), (b"j", 3, b"ok")]),
             "000006.log": log_bytes([]), "CURRENT": b"MANIFEST-000004\n",
             "MANIFEST-000004": manifest_bytes(6, [5], 3, 7)}
    db = _db(files)
    assert db.files == ["000005.ldb", "000006.log"]
    assert {k: e.value for k, e in db.live()} == {b"j": b"ok"}


def test_damaged_table_block_is_located():
    table = bytearray(table_bytes([(b"k%d" % i, i, b"v" * 300) for i in range(100)], compress=True))
    table[10:20] = b"\xff" * 10                          # inside the first (compressed) data block
    db = _db({"000005.ldb": bytes(table)})
    assert db.damage and db.damage[0].file == "000005.ldb" and db.damage[0].offset == 0
    assert len(list(db.live())) > 50                     # the other blocks are read


def test_chromium_string_formats():
    assert decode_string(b"\x01caf\xe9") == "café"
    assert decode_string(b"\x00" + "Ünïcødé ✓ 🕵".encode("utf-16-le")) == "Ünïcødé ✓ 🕵"
    assert decode_string(chromium_string("\ud800 lone")) == "\ud800 lone"
    with pytest.raises(ValueError):
        decode_string(b"\x05abc")


def test_chromium_storage_groups_origins_and_reads_meta(tmp_path):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    write_chromium_db(folder, ORIGIN, {"save_metadata": INDEX, "save_slot2": SAVE, "other": "x"},
                      table_items={"save_slot2": "old", "save_old": SAVE})
    store = read_chromium_storage(folder)
    items = store.origins[ORIGIN].items
    assert items == {"save_metadata": INDEX, "save_slot2": SAVE, "save_old": SAVE, "other": "x"}
    assert store.origins[ORIGIN].last_modified_ms == pytest.approx(1_762_106_784_700)


def test_profile_document_from_chromium_folder(tmp_path):
    profile = tmp_path / "chromium-data" / "Default"
    folder = profile / "Local Storage" / "leveldb"
    write_chromium_db(folder, ORIGIN, {"save_metadata": INDEX, "save_slot2": SAVE, "tutorial_completed": "true"})
    for path in (tmp_path / "chromium-data", profile, profile / "Local Storage", folder):
        assert looks_like_browser_storage(path)
        doc = load_path(path)
        assert doc.kind is DocumentKind.PROFILE
        assert [s.slot_id for s in doc.slots] == ["slot2"]
        assert doc.slots[0].label == "Ünïcødé ✓"
        assert doc.profile_flags == {"tutorial_completed": "true"}
        assert doc.source is not None and ORIGIN in doc.source and "Default" in doc.source


def test_several_origins_need_a_choice(tmp_path):
    folder = tmp_path / "p" / "Local Storage" / "leveldb"
    folder.mkdir(parents=True)
    records = [batch(1, [(chromium_key(o, "save_slot2"), chromium_string(SAVE))]) for o in
               ("http://a.test", "http://b.test")]
    (folder / "000003.log").write_bytes(log_bytes(records))
    with pytest.raises(LoadError) as err:
        load_path(folder)
    assert err.value.problem.code == "browser_origin_ambiguous"
    assert "http://a.test" in err.value.problem.message and "--origin" in err.value.problem.message
    doc = load_path(folder, origin="http://b.test/")
    assert "http://b.test" in doc.source
    with pytest.raises(LoadError) as err:
        load_path(folder, origin="http://c.test")
    assert err.value.problem.code == "browser_origin_missing"
    assert {o.origin for o in list_origins(folder)} == {"http://a.test", "http://b.test"}


def test_undecodable_value_is_a_located_problem_and_the_rest_loads(tmp_path):
    folder = tmp_path / "p" / "Local Storage" / "leveldb"
    folder.mkdir(parents=True)
    records = [batch(1, [(chromium_key(ORIGIN, "save_slot2"), chromium_string(SAVE)),
                         (chromium_key(ORIGIN, "save_bad"), b"\x00abc")])]   # odd-length UTF-16
    data = log_bytes(records + [batch(5, [(b"x", b"y" * 40_000)])])
    (folder / "000003.log").write_bytes(data[:-10])
    doc = load_path(folder)
    assert [s.slot_id for s in doc.slots] == ["slot2"]
    bad = [p for p in doc.problems if p.code == "browser_record_unreadable"]
    assert len(bad) == 1 and "save_bad" in bad[0].message and bad[0].file.endswith("000003.log")
    assert bad[0].location == "byte 0" and bad[0].severity is Severity.WARNING
    torn = [p for p in doc.problems if p.code == "browser_write_in_progress"]
    assert len(torn) == 1 and torn[0].severity is Severity.NOTICE


def test_folder_without_saves_is_a_clear_error(tmp_path):
    folder = tmp_path / "p" / "Local Storage" / "leveldb"
    write_chromium_db(folder, ORIGIN, {"unrelated": "1"})
    with pytest.raises(LoadError) as err:
        load_browser_storage(folder)
    assert err.value.problem.code == "browser_no_saves" and err.value.problem.file == str(folder)


def _firefox_db(path: Path, rows: list[tuple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE data(key TEXT PRIMARY KEY, utf16_length INTEGER NOT NULL, conversion_type INTEGER "
                "NOT NULL, compression_type INTEGER NOT NULL, last_access_time INTEGER NOT NULL DEFAULT 0, "
                "value BLOB NOT NULL)")
    con.executemany("INSERT INTO data VALUES (?, ?, ?, ?, 0, ?)", rows)
    con.commit()
    con.close()


def test_firefox_conversion_and_compression_types(tmp_path):
    profile = tmp_path / "abcd.default-esr"
    ls = profile / "storage" / "default" / "http+++127.0.0.1+8080" / "ls"
    utf8 = INDEX.encode()
    _firefox_db(ls / "data.sqlite", [
        ("save_metadata", len(INDEX), 1, 1, bytes(cramjam.snappy.compress_raw(utf8))),
        ("save_slot2", len(SAVE), 0, 0, SAVE.encode("utf-16-le")),     # NONE: UTF-16 code units
        ("tutorial_completed", 4, 1, 0, b"true"),
        ("save_bad", 10, 1, 1, b"\xff\xfe not snappy"),
    ])
    before = {p: p.stat().st_mtime_ns for p in ls.iterdir()}
    ff = read_firefox_ls(ls)
    assert ff.origin == "http://127.0.0.1:8080"
    assert ff.items == {"save_metadata": INDEX, "save_slot2": SAVE, "tutorial_completed": "true"}
    assert len(ff.problems) == 1 and "save_bad" in ff.problems[0].message
    assert {p: p.stat().st_mtime_ns for p in ls.iterdir()} == before       # nothing written, nothing added
    for path in (profile, profile / "storage" / "default", ls.parent, ls):
        doc = load_path(path)
        assert [s.slot_id for s in doc.slots] == ["slot2"] and "Firefox" in doc.source


def test_firefox_origin_folder_names():
    assert origin_from_folder("http+++127.0.0.1+8080") == "http://127.0.0.1:8080"
    assert origin_from_folder("https+++game.example.com") == "https://game.example.com"
    assert origin_from_folder("file++++home+me+game.html") == "file:///home/me/game.html"


def test_discovery_finds_standard_profiles(tmp_path):
    home = tmp_path
    write_chromium_db(home / ".config/chromium/Default/Local Storage/leveldb", ORIGIN, {"save_slot2": SAVE})
    write_chromium_db(home / ".config/google-chrome/Profile 1/Local Storage/leveldb", ORIGIN, {"x": "1"})
    ff = home / ".mozilla/firefox/abcd.default-esr"
    (ff / "storage/default").mkdir(parents=True)
    (home / ".mozilla/firefox/profiles.ini").write_text("[Profile0]\nName=default-esr\nIsRelative=1\n"
                                                       "Path=abcd.default-esr\n")
    mac = tmp_path / "mac"
    write_chromium_db(mac / "Library/Application Support/BraveSoftware/Brave-Browser/Default/Local Storage/leveldb",
                      ORIGIN, {"save_slot2": SAVE})
    win = {"LOCALAPPDATA": str(tmp_path / "win/Local"), "APPDATA": str(tmp_path / "win/Roaming")}
    write_chromium_db(tmp_path / "win/Local/Microsoft/Edge/User Data/Default/Local Storage/leveldb", ORIGIN, {})
    found = discovery.discover_profiles(home=home, env={}, platform="linux")
    # Firefox profiles go by their profiles.ini Name= (the folder is kept beside it)
    assert {(p.browser, p.name) for p in found} == {("Chromium", "Default"), ("Chrome", "Profile 1"),
                                                    ("Firefox", "default-esr")}
    assert next(p.folder_name for p in found if p.browser == "Firefox") == "abcd.default-esr"
    assert [(p.browser, p.name) for p in discovery.discover_profiles(home=mac, env={}, platform="darwin")] == \
        [("Brave", "Default")]
    assert [(p.browser, p.name) for p in discovery.discover_profiles(home=tmp_path, env=win, platform="win32")] == \
        [("Edge", "Default")]
    with_saves = list_origins(profiles=found)
    assert [(o.profile.browser, o.origin, o.slot_count) for o in with_saves] == [("Chromium", ORIGIN, 1)]


def test_not_browser_storage(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    assert not looks_like_browser_storage(tmp_path)
    assert not looks_like_browser_storage(tmp_path / "a.json")


def test_firefox_profiles_are_named_as_profiles_ini_names_them(tmp_path):
    """Newer Firefox keeps its profiles under ~/.config/mozilla/firefox (or $XDG_CONFIG_HOME);
    a registered profile goes by its Name=, also when its folder (or a folder inside it) is
    chosen by hand; an unregistered folder, or a profile whose ini has no Name=, by its folder."""
    home = tmp_path / "home"
    root = home / ".config/mozilla/firefox"
    for folder in ("k3x9.default-esr", "w2q8.QA Playtest", "zz.unlisted"):
        (root / folder / "storage/default").mkdir(parents=True)
    absolute = tmp_path / "elsewhere" / "abs.profile"
    (absolute / "storage/default").mkdir(parents=True)
    (root / "profiles.ini").write_text(
        "[Install3B6073811A6ABF12]\nDefault=k3x9.default-esr\nLocked=1\n\n"
        "[Profile1]\nName=QA Playtest\nIsRelative=1\nPath=w2q8.QA Playtest\n\n"
        "[Profile0]\nName=default-esr\nIsRelative=1\nPath=k3x9.default-esr\nDefault=1\n\n"
        f"[Profile2]\nName=Abs %(x)s\nIsRelative=0\nPath={absolute}\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n", encoding="utf-8")
    found = discovery.discover_profiles(home=home, env={}, platform="linux")
    assert sorted((p.name, p.folder_name) for p in found) == [
        ("Abs %(x)s", "abs.profile"), ("QA Playtest", "w2q8.QA Playtest"), ("default-esr", "k3x9.default-esr"),
        ("zz.unlisted", "zz.unlisted")]
    assert {p.browser for p in found} == {"Firefox"}
    # $XDG_CONFIG_HOME moves the root
    xdg = discovery.discover_profiles(home=tmp_path / "nobody", env={"XDG_CONFIG_HOME": str(home / ".config")},
                                      platform="linux")
    assert sorted(p.name for p in xdg) == sorted(p.name for p in found)
    # chosen by hand: the profile, its storage folders, an origin inside it
    origin = root / "k3x9.default-esr/storage/default/http+++127.0.0.1+8080"
    _firefox_db(origin / "ls" / "data.sqlite", [("save_slot2", len(SAVE), 1, 0, SAVE.encode())])
    for chosen in (root / "k3x9.default-esr", root / "k3x9.default-esr/storage",
                   root / "k3x9.default-esr/storage/default", origin, origin / "ls"):
        assert [p.name for p in discovery.profiles_at(chosen)] == ["default-esr"], chosen
    assert [p.name for p in discovery.profiles_at(root / "zz.unlisted")] == ["zz.unlisted"]
    # a broken profiles.ini: the folders' names, nothing raised
    (root / "profiles.ini").write_bytes(b"\xff\xfe[Profile0\nName")
    assert sorted(p.name for p in discovery.discover_profiles(home=home, env={}, platform="linux")) == [
        "k3x9.default-esr", "w2q8.QA Playtest", "zz.unlisted"]


def test_chromium_profiles_are_named_as_local_state_names_them(tmp_path):
    """Chromium's profile menu names a profile from ``Local State`` (``profile.info_cache``):
    "Work" for the folder "Profile 1". Discovery and a hand-chosen folder use that name; a
    folder it does not list, or a missing/broken Local State, keeps the folder's name."""
    user_data = tmp_path / ".config" / "chromium"
    for folder in ("Default", "Profile 1", "Profile 2"):
        write_chromium_db(user_data / folder / "Local Storage" / "leveldb", ORIGIN, {"save_slot2": SAVE})
    (user_data / "Local State").write_text(
        '{"profile": {"info_cache": {"Default": {"name": "Your Chromium", "is_using_default_name": true},'
        ' "Profile 1": {"name": "Work"}, "Profile 9": {"name": "Gone"}}, "profiles_order": ["Default"]}}')
    found = discovery.discover_profiles(home=tmp_path, env={}, platform="linux")
    assert [(p.name, p.folder_name) for p in found] == [("Your Chromium", "Default"), ("Work", "Profile 1"),
                                                        ("Profile 2", "Profile 2")]
    for chosen in (user_data / "Profile 1", user_data / "Profile 1" / "Local Storage",
                   user_data / "Profile 1" / "Local Storage" / "leveldb"):
        assert [p.name for p in discovery.profiles_at(chosen)] == ["Work"], chosen
    assert [p.name for p in discovery.profiles_at(user_data)] == ["Your Chromium", "Work", "Profile 2"]
    (user_data / "Local State").write_text('{"profile": ')
    assert [p.name for p in discovery.discover_profiles(home=tmp_path, env={}, platform="linux")] == [
        "Default", "Profile 1", "Profile 2"]
