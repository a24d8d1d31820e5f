"""The analysis version follows every module and data file that shapes rows, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

from transforms.version import TRANSFORMS_DIR, analysis_version, compute_analysis_version, row_sources


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "transforms"
    shutil.copytree(TRANSFORMS_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_running_version_is_the_digest_of_the_installed_tree(tmp_path: Path) -> None:
    assert analysis_version() == compute_analysis_version(_tree(tmp_path))
    assert len(analysis_version()) == 16 and int(analysis_version(), 16) >= 0


def test_lexicons_catalog_and_modules_are_row_sources() -> None:
    names = {p.relative_to(TRANSFORMS_DIR).as_posix() for p in row_sources()}
    assert {
        "extract/__init__.py",
        "extract/candidates.py",
        "lexicon/units.json",
        "indicators/court.json",
        "lexicon/orgs.json",
    } <= names
    assert not any("__pycache__" in name for name in names)


def test_editing_a_lexicon_a_module_or_adding_a_file_changes_the_version(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    base = compute_analysis_version(root)
    versions = {base}
    for edit in ("lexicon/units.json", "numbers.py"):
        path = root / edit
        path.write_bytes(path.read_bytes() + b"\n")
        versions.add(compute_analysis_version(root))
    (root / "lexicon" / "extra.json").write_text("{}", encoding="utf-8")
    versions.add(compute_analysis_version(root))
    assert len(versions) == 4


def test_a_library_version_is_part_of_the_version(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert compute_analysis_version(root, libraries=("opencc", "no-such-distribution")) != compute_analysis_version(
        root
    )
