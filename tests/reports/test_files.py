from datetime import UTC, datetime
from pathlib import Path

from reports.files import write_digest_files

CREATED_AT = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)


def test_written_html_points_at_a_png_beside_it_instead_of_a_cid(tmp_path: Path) -> None:
    html = '<img src="cid:map@pactwatch.invalid" alt="map">'
    paths = write_digest_files(
        tmp_path,
        digest_id="abcdef0123456789",
        created_at=CREATED_AT,
        html=html,
        pdf=b"%PDF-1.7",
        eml=b"Subject: x\r\n\r\nbody",
        images={"map@pactwatch.invalid": b"\x89PNG-bytes"},
    )
    image = Path(paths["image-1"])
    assert image.read_bytes() == b"\x89PNG-bytes"
    written = Path(paths["html"]).read_text(encoding="utf-8")
    assert "cid:" not in written
    assert f'src="{image.name}"' in written
    assert image.parent == Path(paths["html"]).parent
    assert Path(paths["eml"]).parent == tmp_path / "outbox"
    assert Path(paths["pdf"]).read_bytes() == b"%PDF-1.7"


def test_without_images_only_three_files_are_written(tmp_path: Path) -> None:
    paths = write_digest_files(
        tmp_path,
        digest_id="abcdef0123456789",
        created_at=CREATED_AT,
        html="<p>x</p>",
        pdf=b"",
        eml=b"",
    )
    assert sorted(paths) == ["eml", "html", "pdf"]
