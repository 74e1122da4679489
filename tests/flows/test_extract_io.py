"""Gold-corpus records in, scorer-schema predictions out."""

from __future__ import annotations

import json
from datetime import date

import pytest

from flows.errors import ExtractError
from flows.extract import RuleExtractor
from flows.extract_io import agreement_to_prediction, article_from_record, predict_record
from flows.models import Agreement, Amount


def test_article_from_record_takes_title_from_first_line_and_full_dates_only() -> None:
    article = article_from_record(
        {"id": "x1", "text": "\n  Title here \nBody.", "published": "2026-05-20", "lang": "en"}
    )
    assert article.title == "Title here"
    assert article.published_on == date(2026, 5, 20)
    assert article.lang == "en"
    assert article.url == "urn:pactwatch:x1"
    assert (
        article_from_record({"id": "x2", "text": "t", "published": "2019-05"}).published_on is None
    )
    assert article_from_record({"id": "x3", "text": "t", "published": None}).published_on is None


def test_article_from_record_rejects_records_without_text() -> None:
    with pytest.raises(ExtractError, match="x4"):
        article_from_record({"id": "x4"})


def test_agreement_to_prediction_uses_the_scorer_keys() -> None:
    agreement = Agreement(
        parties=("Huawei", "Lakeside University"),
        parties_as_written=("Lakeside University", "Huawei Technologies Co., Ltd."),
        agreement_type="mou",
        signed_on=date(2026, 5, 18),
        reported_on=date(2026, 5, 20),
        title="a memorandum of understanding",
        fields=("5g",),
        amounts=(Amount("CNY", 3e8, "3亿元"),),
    )
    prediction = agreement_to_prediction(agreement)
    assert prediction["parties_canonical"] == ["Huawei", "Lakeside University"]
    assert prediction["parties"] == ["Lakeside University", "Huawei Technologies Co., Ltd."]
    assert prediction["signed_on"] == "2026-05-18"
    assert prediction["agreement_title"] == "a memorandum of understanding"
    assert prediction["amounts"] == [{"currency": "CNY", "value": 3e8, "text": "3亿元"}]
    assert json.loads(json.dumps(prediction, ensure_ascii=False)) == prediction


def test_predict_record_gives_one_scorer_line() -> None:
    record = {
        "id": "own-1",
        "published": "2026-05-20",
        "text": "Huawei and Lakeside University sign MoU\n"
        "Huawei and Lakeside University signed a memorandum of understanding yesterday.",
    }
    line = predict_record(record, RuleExtractor())
    assert line["id"] == "own-1"
    assert line["is_signing"] is True
    assert line["background_agreements"] == []
    agreements = line["agreements"]
    assert isinstance(agreements, list)
    (agreement,) = agreements
    assert agreement["parties_canonical"] == ["Huawei", "Lakeside University"]
    assert agreement["agreement_type"] == "mou"
    assert agreement["signed_on"] == "2026-05-19"
