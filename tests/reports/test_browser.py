"""The email HTML in headless Chromium: no broken image, no sideways scroll at 375 and 700 px."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from reports.network import MAP_CID, render_network_png
from reports.render import render_digest

HERE = Path(__file__).resolve().parent
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",  # let the image load before the DOM is dumped
)
MEASURE = """<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  parent.postMessage(JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    images: images.length,
    broken: images.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
    shownWidths: images.map((i) => i.getBoundingClientRect().width),
    background: getComputedStyle(document.body).backgroundColor,
  }), "*");
});
</script>"""
# Headless Chromium will not make a window narrower than 500 px: the phone width is an iframe.
HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{page}" style="width:{width}px;height:900px;border:0;display:block"></iframe>
<script>
window.addEventListener("message", (e) => document.body.setAttribute("data-check", e.data));
</script></body></html>"""
MIN_WINDOW_PX = 500
CHECK = re.compile(r'data-check="([^"]*)"')


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("PACTWATCH_REQUIRE_CHROMIUM") == "1":
        pytest.fail("PACTWATCH_REQUIRE_CHROMIUM=1 but chromium is absent: apt-get install chromium")
    pytest.skip("chromium is not installed (apt-get install chromium) to check the rendered mail")


@pytest.fixture(scope="module")
def mail_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML as a mail client shows it: the cid: picture resolved to the attached PNG."""
    spec = importlib.util.spec_from_file_location("render_cases", HERE / "test_render.py")
    assert spec is not None
    assert spec.loader is not None
    cases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cases)  # --import-mode=importlib: test modules are not importable
    context = cases.sample_context()
    folder = tmp_path_factory.mktemp("mail")
    (folder / "map.png").write_bytes(render_network_png(context.network))
    html = render_digest(context).html
    assert f'src="cid:{MAP_CID}"' in html
    (folder / "digest.html").write_text(html.replace(f"cid:{MAP_CID}", "map.png"), encoding="utf-8")
    (folder / "measured.html").write_text(
        html.replace(f"cid:{MAP_CID}", "map.png").replace("</body>", MEASURE + "</body>"),
        encoding="utf-8",
    )
    return folder


def host(folder: Path, page: str, width: int) -> str:
    path = folder / f"host-{page.split('.')[0]}-{width}.html"
    path.write_text(HOST.format(page=page, width=width), encoding="utf-8")
    return path.as_uri()


def run_chromium(chromium: str, folder: Path, width: int, *extra: str) -> str:
    profile = folder / f"profile-{width}"
    command = [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={max(width, MIN_WINDOW_PX)},900",
    ]
    done = subprocess.run(
        [*command, *extra], capture_output=True, text=True, timeout=120, check=False, cwd=folder
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def measure(chromium: str, folder: Path, width: int, *extra: str) -> dict:  # type: ignore[type-arg]
    dom = run_chromium(
        chromium, folder, width, "--dump-dom", *extra, host(folder, "measured.html", width)
    )
    match = CHECK.search(dom)
    assert match, "the measuring script did not run"
    return json.loads(match[1].replace("&quot;", '"'))


@pytest.mark.parametrize("width", [375, 700])
def test_mail_has_no_broken_image_and_no_horizontal_scroll(
    chromium: str, mail_folder: Path, width: int
) -> None:
    check = measure(chromium, mail_folder, width)
    assert check["innerWidth"] == width
    assert check["images"] == 1
    assert check["broken"] == []
    assert check["scrollWidth"] <= width
    assert 0 < check["shownWidths"][0] <= min(652, width)


@pytest.mark.parametrize("width", [375, 700])
def test_mail_renders_to_a_png_screenshot(chromium: str, mail_folder: Path, width: int) -> None:
    shot = mail_folder / f"digest-{width}.png"
    run_chromium(
        chromium,
        mail_folder,
        width,
        f"--screenshot={shot}",
        host(mail_folder, "digest.html", width),
    )
    with Image.open(shot) as image:
        assert image.size == (max(width, MIN_WINDOW_PX), 900)
        page = image.convert("RGB")
    mail = page.crop((0, 0, width, 900))  # the iframe at the mail's width
    mail.save(mail_folder / f"mail-{width}.png")
    assert len(mail.getcolors(maxcolors=1_000_000) or []) > 50  # text and the map, not blank
    if width < MIN_WINDOW_PX:  # nothing painted right of the iframe: the mail did not overflow
        beyond = page.crop((width, 0, MIN_WINDOW_PX, 900))
        assert beyond.getcolors() == [(beyond.width * 900, (255, 255, 255))]


def test_dark_mode_switches_to_the_dark_palette(chromium: str, mail_folder: Path) -> None:
    light = measure(chromium, mail_folder, 375)
    dark = measure(
        chromium, mail_folder, 375, "--force-dark-mode", "--blink-settings=preferredColorScheme=0"
    )
    assert light["background"] == "rgb(238, 241, 245)"
    assert dark["background"] == "rgb(16, 20, 24)"
