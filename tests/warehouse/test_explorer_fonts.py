"""Chinese text on machines with and without Chinese fonts: the page names a CJK font stack, and on a machine with
no font for Chinese (Chromium with a fontconfig that has none) it says so instead of showing silent empty boxes."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from warehouse.explorer_page import CJK_FONT_STACK, ExplorerData, render_explorer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CSS = PROJECT_ROOT / "warehouse" / "explorer_assets" / "explorer.css"
# A small Chinese font from Debian, for the machine-with-fonts case.
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
CJK_FONT_DIR = Path("/usr/share/fonts/truetype/wqy")


def test_the_page_and_its_charts_name_the_same_cjk_font_stack_ending_in_generic_families() -> None:
    declared = re.search(r":root \{[^}]*?font-family: ([^;]+);", CSS.read_text(encoding="utf-8"))
    assert declared is not None
    css_stack = tuple(name.strip().strip('"') for name in declared.group(1).split(","))
    assert css_stack == CJK_FONT_STACK
    assert CJK_FONT_STACK[-1] == "sans-serif" and "Noto Sans CJK SC" in CJK_FONT_STACK
    assert {"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei"} <= set(CJK_FONT_STACK)  # macOS, Windows, Linux
    page = render_explorer(ExplorerData("w.duckdb", datetime.now(UTC)))
    assert 'id="font-notice" hidden' in page


def _browser_module() -> ModuleType:
    path = PROJECT_ROOT / "scripts" / "screenshot_explorer.py"
    spec = importlib.util.spec_from_file_location("screenshot_explorer_fonts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _fontconfig(tmp_path: Path, name: str, font_dirs: list[Path]) -> Path:
    """A fontconfig file that sees only the fonts in `font_dirs` (no system fonts)."""
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs)
    cache = tmp_path / f"fc-cache-{name}"
    config = tmp_path / f"fonts-{name}.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>{dirs}'
        f"<cachedir>{cache}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return config


def _cjk_state(chromium: str, page: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    browser = _browser_module()
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    dom = browser.dump_dom(chromium, page)
    state = re.search(r'data-cjk-glyphs="(\w+)"', dom)
    notice = re.search(r'<p id="font-notice"( hidden(="")?)?>', dom)
    assert state is not None and notice is not None, dom[:2000]
    return state.group(1), notice.group(1) is None


@pytest.fixture(scope="module")
def chromium() -> str:
    path, how = _browser_module().install_chromium()
    if path is None:
        pytest.skip(f"no headless Chromium: {how}")
    return str(path)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    out = tmp_path / "explorer.html"
    out.write_text(render_explorer(ExplorerData("政法 warehouse.duckdb", datetime.now(UTC))), encoding="utf-8")
    return out


@pytest.mark.slow
def test_without_a_chinese_font_the_page_says_so(
    chromium: str, page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    latin_only = [d for d in (Path("/usr/share/fonts/truetype/dejavu"),) if d.is_dir()]
    state, notice_shown = _cjk_state(chromium, page, _fontconfig(tmp_path, "latin", latin_only), monkeypatch)
    assert (state, notice_shown) == ("missing", True)


@pytest.mark.slow
def test_with_a_chinese_font_from_the_stack_glyphs_render_and_no_notice(
    chromium: str, page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not CJK_FONT_DIR.is_dir() and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", CJK_FONT_PACKAGE], capture_output=True)
    if not CJK_FONT_DIR.is_dir():
        pytest.skip(f"no {CJK_FONT_PACKAGE} to test with")
    state, notice_shown = _cjk_state(chromium, page, _fontconfig(tmp_path, "cjk", [CJK_FONT_DIR]), monkeypatch)
    assert (state, notice_shown) == ("present", False)
