"""`--html DIR`: one self-contained page; for a failing image case, headless Chromium (Debian's
package) renders Flask's image, FastAPI's and the difference image, each with a size."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from migrator.cli import main
from tests.parity.shop import make_shop

CHROMIUM = "/usr/bin/chromium"
ONE_PIXEL = {
    '    image.save(buf, "PNG")': '    image.putpixel((3, 3), (0, 0, 255))\n    image.save(buf, "PNG")'
}
# Appended to a copy of the page: once loaded, it writes every image's rendered size into the DOM.
MEASURE = """<script>
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = [...document.images].map(
    (i) => `${i.alt}=${i.naturalWidth}x${i.naturalHeight}:${i.complete}`).join("\\n");
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    shop = make_shop(folder / "shop", ONE_PIXEL)
    args = ["parity", "--flask", "shop_flask:app", "--fastapi", "shop_fastapi:app"]
    args += [
        "--flask-root",
        str(shop),
        "--fastapi-root",
        str(shop),
        "--html",
        str(folder / "report"),
    ]
    assert main([*args, "--cases", str(shop / "parity_cases.toml")]) == 1
    return (folder / "report" / "index.html").read_text("utf-8")


def test_page_is_self_contained_with_highlighted_header_tables(page):
    assert not re.search(r"""(src|href)=['"](?!data:)""", page)  # nothing loaded from elsewhere
    assert "<h1 class='failed'>Parity failed</h1>" in page
    assert "1 differing pixel(s), largest channel difference 255" in page
    assert page.count("<img ") == 3 * 3  # GET red/16, GET green/16, the case file's 8x8
    assert "<tr class='differs'><td>content-length: 75</td><td>content-length: 84</td></tr>" in page
    assert "<tr><td>cache-control: max-age=60</td><td>cache-control: max-age=60</td></tr>" in page


def test_chromium_renders_the_three_images(page, tmp_path):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", MEASURE + "</body>"), "utf-8")
    process = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            measured.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="measured">(.*?)</pre>', process.stdout, re.DOTALL)
    assert found, process.stderr[-2000:]
    sizes = dict(line.split("=") for line in found.group(1).splitlines()[:3])
    assert sizes == {
        "Flask": "16x16:true",
        "FastAPI": "16x16:true",
        "difference (red: differing pixels)": "16x16:true",
    }
