from __future__ import annotations

import gc
import io
import os
import shutil
import subprocess
from datetime import UTC, date, datetime

import pypdf
import pytest
from pytest_httpserver import HTTPServer

from flows.models import Amount, DigestItem, SourceLink
from reports.context import build_digest_context
from reports.network import MAP_CID, SCALE, WIDTH_PX, render_network_png
from reports.pdf import render_pdf
from reports.render import render_digest_html_for_pdf

CREATED_AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
A4_POINTS = (595, 842)


def _cjk_font_missing() -> str | None:
    """Why CJK text cannot be checked here, or None when a Chinese font is installed."""
    if shutil.which("fc-list") is None:
        return "fc-list is not installed"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return None if fonts.stdout.strip() else "no CJK font (fc-list :lang=zh is empty)"


@pytest.fixture(scope="module")
def cjk_font() -> None:
    reason = _cjk_font_missing()
    if reason is None:
        return
    if os.environ.get("PACTWATCH_REQUIRE_CJK") == "1":
        pytest.fail(f"PACTWATCH_REQUIRE_CJK=1 but {reason}: apt-get install fonts-wqy-microhei")
    pytest.skip(f"{reason}; install fonts-wqy-microhei to check Chinese text in PDFs")


def chinese_item(n: int) -> DigestItem:
    return DigestItem(
        agreement_id=f"pdf{n:013d}",
        parties=("Binhai University", "Nanhu Technology"),
        parties_as_written=("滨海大学", "南湖科技股份有限公司"),
        agreement_type="strategic_cooperation",
        title="滨海大学与南湖科技签署战略合作协议",
        signed_on=date(2026, 11, 18),
        location="滨海",
        fields=("人工智能", "人才培养"),
        amounts=(Amount("CNY", 50_000_000, "5000万元"),),
        evidence="11月18日，滨海大学与南湖科技股份有限公司签署战略合作协议。",
        first_seen_at=CREATED_AT,
        sources=(
            SourceLink(
                "http://demo.invalid/binhai-daily/a01.html",
                "校企合作再上新台阶",
                "滨海日报",
                date(2026, 11, 19),
                "zh",
            ),
        ),
    )


@pytest.fixture(scope="module")
def pdf_reader(cjk_font: None) -> pypdf.PdfReader:
    context = build_digest_context(
        [chinese_item(n) for n in range(8)], created_at=CREATED_AT, period_start=None
    )
    images = {MAP_CID: render_network_png(context.network)}
    return pypdf.PdfReader(io.BytesIO(render_pdf(render_digest_html_for_pdf(context), images)))


def test_pdf_embeds_the_partner_map_served_from_memory(pdf_reader: pypdf.PdfReader) -> None:
    (image,) = pdf_reader.pages[0].images
    assert image.image is not None
    assert image.image.size[0] == WIDTH_PX * SCALE


def test_unknown_cid_is_not_served(caplog: pytest.LogCaptureFixture) -> None:
    pdf = render_pdf('<p>map <img src="cid:other@pactwatch.invalid"></p>', {MAP_CID: b"x"})
    assert not pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images


def test_pdf_contains_chinese_party_names(pdf_reader: pypdf.PdfReader) -> None:
    text = pdf_reader.pages[0].extract_text()
    assert "滨海大学" in text
    assert "南湖科技股份有限公司" in text
    assert "CNY 50,000,000 (5000万元)" in text


def test_pdf_pages_are_a4_and_numbered(pdf_reader: pypdf.PdfReader) -> None:
    pages = len(pdf_reader.pages)
    assert pages >= 2  # eight cards do not fit on one page
    for number, page in enumerate(pdf_reader.pages, start=1):
        assert tuple(round(v) for v in page.mediabox[2:]) == A4_POINTS
        assert f"page {number} of {pages}" in page.extract_text()


def test_pdf_uses_the_cjk_font_everywhere_including_margin_boxes(
    pdf_reader: pypdf.PdfReader,
) -> None:
    fonts: set[str] = set()
    for page in pdf_reader.pages:
        resources = page["/Resources"]["/Font"]
        fonts.update(str(resources[name].get_object()["/BaseFont"]) for name in resources)
    assert fonts
    assert all("WenQuanYi" in font for font in fonts), fonts  # no DejaVu fallback anywhere


def test_pdf_never_fetches_resources(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/logo.png").respond_with_data(b"", content_type="image/png")
    html = f'<p>logo <img src="{httpserver.url_for("/logo.png")}"></p>'
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert httpserver.log == []


@pytest.mark.parametrize("enabled", [True, False])
def test_rendering_restores_the_garbage_collector_state(enabled: bool) -> None:
    was_enabled = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert render_pdf("<p>x</p>").startswith(b"%PDF")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was_enabled else gc.disable)()
