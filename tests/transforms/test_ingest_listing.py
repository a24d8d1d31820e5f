"""Listing an input folder: ids unique per relative path, printable names, and a record of every entry not read."""

from __future__ import annotations

import os
from pathlib import Path

from transforms.ingest import input_doc_id, list_inputs, printable, scan_inputs

TEXT = "全区458名政法干警参加学习。"


def _checks(listing_skipped: list) -> dict[str, str]:
    return {r.doc_id: r.check for r in listing_skipped}


def test_doc_id_is_the_relative_path_so_same_names_do_not_collide(tmp_path: Path) -> None:
    for rel in ("a/same.txt", "b/same.txt", "twin.txt", "twin.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(TEXT, encoding="utf-8")
    listing = scan_inputs(tmp_path)
    assert [doc_id for _, doc_id in listing.files] == ["a/same.txt", "b/same.txt", "twin.html", "twin.txt"]
    assert not listing.skipped


def test_a_file_name_that_is_not_utf8_gets_a_printable_id_and_is_listed(tmp_path: Path) -> None:
    gbk_name = "报告.txt".encode("gbk")  # b'\xb1\xa8\xb8\xe6.txt': not valid UTF-8
    with open(os.path.join(os.fsencode(tmp_path), gbk_name), "wb") as fh:
        fh.write(TEXT.encode())
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    listing = scan_inputs(tmp_path)
    ids = [doc_id for _, doc_id in listing.files]
    assert ids == ["\\xb1\\xa8\\xb8\\xe6.txt", "good.txt"]
    assert all(doc_id.encode("utf-8") for doc_id in ids)  # encodes: no lone surrogates left
    path, _ = listing.files[0]
    assert path.read_bytes() == TEXT.encode()  # the real file is still reachable under its real name
    assert printable("报告.txt") == "报告.txt"


def test_symlink_out_of_the_folder_is_recorded_not_followed_unless_allowed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    (inbox / "passwd.txt").symlink_to(outside)
    (inbox / "real.txt").write_text(TEXT, encoding="utf-8")
    (inbox / "alias.txt").symlink_to(inbox / "real.txt")  # inside the folder: read (and caught as a duplicate)
    listing = scan_inputs(inbox)
    assert [doc_id for _, doc_id in listing.files] == ["alias.txt", "real.txt"]
    assert _checks(listing.skipped) == {"passwd.txt": "symlink_outside"}
    assert "outside the input folder" in listing.skipped[0].reason
    assert list_inputs(inbox) == [inbox / "alias.txt", inbox / "real.txt"]
    allowed = scan_inputs(inbox, follow_symlinks_outside=True)
    assert [doc_id for _, doc_id in allowed.files] == ["alias.txt", "passwd.txt", "real.txt"]


def test_fifo_looping_link_and_folder_named_like_a_file_are_recorded(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "inner.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "linked-folder").symlink_to(tmp_path / "x.txt")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    listing = scan_inputs(tmp_path)  # returns at once: the FIFO is never opened
    assert [doc_id for _, doc_id in listing.files] == ["x.txt/inner.txt"]
    assert _checks(listing.skipped) == {
        "broken.txt": "symlink_broken",
        "linked-folder": "symlink_folder",
        "loop.txt": "symlink_loop",
        "pipe.txt": "not_a_file",
        "x.txt": "not_a_file",
    }
    reasons = {r.doc_id: r.reason for r in listing.skipped}
    assert "FIFO" in reasons["pipe.txt"] and "folder" in reasons["x.txt"] and "loop" in reasons["loop.txt"]
    assert input_doc_id(tmp_path / "x.txt" / "inner.txt", tmp_path) == "x.txt/inner.txt"


def test_the_runs_own_outputs_inside_the_input_folder_are_not_inputs(tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    for name in (
        "metrics.duckdb",
        "metrics.duckdb.wal",
        "metrics.duckdb.lock",
        "metrics.duckdb.kept-1",
        "explorer.html",
    ):
        (tmp_path / name).write_text("12345", encoding="utf-8")
    (tmp_path / "parquet").mkdir()
    (tmp_path / "parquet" / "metrics.parquet").write_bytes(b"PAR1")
    (tmp_path / "metrics.duckdb-notes.txt").write_text(TEXT, encoding="utf-8")  # not named after it: a report
    outputs = [warehouse, tmp_path / "explorer.html", tmp_path / "parquet"]
    listing = scan_inputs(tmp_path, own_outputs=outputs)
    assert [doc_id for _, doc_id in listing.files] == ["metrics.duckdb-notes.txt", "report.txt"]
    assert not listing.skipped
    assert len(scan_inputs(tmp_path).files) == 8  # without them named, everything is a candidate


def test_listing_gives_each_file_its_size_time_and_inode_and_knows_unchanged_files_by_them(tmp_path: Path) -> None:
    from transforms.ingest import SETTLE_NS, FileStat, known_unchanged

    (tmp_path / "old.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "new.txt").write_text(TEXT + "。", encoding="utf-8")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "old.txt")
    back = (tmp_path / "old.txt").stat().st_mtime_ns - 3 * SETTLE_NS
    os.utime(tmp_path / "old.txt", ns=(back, back))
    listing = scan_inputs(tmp_path)
    old = (tmp_path / "old.txt").stat()
    assert listing.stats["old.txt"] == FileStat(old.st_size, back, old.st_ino)
    assert listing.stats["alias.txt"] == listing.stats["old.txt"]  # a link: the file it points to
    # a file written just now is not trusted to identify its content next time (a second write in the same tick)
    assert listing.settled_stat("old.txt") == listing.stats["old.txt"]
    assert listing.settled_stat("new.txt") is None
    published = {
        "old.txt": ("hash-old", listing.stats["old.txt"]),
        "new.txt": ("hash-new", FileStat(listing.stats["new.txt"].size, 1, listing.stats["new.txt"].inode)),
    }
    assert known_unchanged(listing, published) == {"old.txt": "hash-old"}
