"""Headless Chromium for the explorer page: find or install it, dump a page's DOM after its scripts ran, screenshot.

Run as a script, it builds the explorer of a warehouse and saves a screenshot for the README:

    .venv/bin/python scripts/screenshot_explorer.py --warehouse warehouse/metrics.duckdb --out docs/explorer.png

Only Debian's `chromium` package is used (installed with apt-get when missing); no browser is downloaded, and the
flags below keep Chromium off the network (no updates, sync, QUIC or background requests).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser")
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--virtual-time-budget=10000",
)


def find_chromium() -> str | None:
    """Path of the system Chromium (`/usr/bin/chromium`, or `chromium`/`chromium-browser` on PATH), if any."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def install_chromium() -> tuple[str | None, str]:
    """Install Debian's `chromium` package with apt-get when it is missing; returns its path and what happened."""
    found = find_chromium()
    if found:
        return found, "already installed"
    if shutil.which("apt-get") is None:
        return None, "no chromium on this machine and no apt-get to install it"
    steps = (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return None, f"`{' '.join(step)}` failed ({done.returncode}): {done.stderr.strip()[-500:]}"
    found = find_chromium()
    return found, "installed with apt-get" if found else "apt-get installed chromium but no binary was found"


def _run(chromium: str, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )


def dump_dom(chromium: str, page: Path, address: str = "", timeout: float = 60.0) -> str:
    """The DOM of `page` serialised after its scripts ran (plotly charts drawn, filters set up).

    `address` is appended to the page's file URL: a query (`?indicator=…`) and/or a fragment (`#m-…`).
    """
    return _run(chromium, ["--dump-dom", page.resolve().as_uri() + address], timeout).stdout


def screenshot(
    chromium: str, page: Path, png: Path, size: tuple[int, int] = (1400, 2600), timeout: float = 60.0
) -> Path:
    """A PNG of the top `size` (width, height in CSS pixels) of `page` as Chromium renders it."""
    png.parent.mkdir(parents=True, exist_ok=True)
    _run(
        chromium,
        [
            f"--screenshot={png.resolve()}",
            f"--window-size={size[0]},{size[1]}",
            "--force-device-scale-factor=1",
            page.resolve().as_uri(),
        ],
        timeout,
    )
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=PROJECT_ROOT / "warehouse" / "metrics.duckdb")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "explorer.png")
    parser.add_argument("--page", type=Path, help="where to keep the HTML page (default: a temporary file)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=2600)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(PROJECT_ROOT))
    from warehouse.backend import open_warehouse
    from warehouse.explorer import write_explorer

    chromium, how = install_chromium()
    if chromium is None:
        print(f"screenshot_explorer: no Chromium: {how}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        page = write_explorer(open_warehouse(args.warehouse), args.page or Path(tmp) / "explorer.html")
        screenshot(chromium, page, args.out, (args.width, args.height))
    print(f"{args.out} ({args.out.stat().st_size // 1024} KB, {chromium}, {how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
