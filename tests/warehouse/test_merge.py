from datetime import date

from flows.models import Agreement
from warehouse.merge import StoredAgreement, find_same_signing


def _found(parties: tuple[str, ...], signed_on: date | None, reported_on: date | None) -> Agreement:
    return Agreement(
        parties=parties,
        parties_as_written=parties,
        agreement_type="mou",
        signed_on=signed_on,
        reported_on=reported_on,
    )


STORED = [StoredAgreement("a1", ("Alpha", "Beta"), date(2026, 11, 18), date(2026, 11, 18))]


def test_same_parties_same_date_merge() -> None:
    assert find_same_signing(_found(("Alpha", "Beta"), date(2026, 11, 18), None), STORED) == "a1"


def test_dates_two_days_apart_merge() -> None:
    found = _found(("Alpha", "Beta"), date(2026, 11, 20), date(2026, 11, 21))
    assert find_same_signing(found, STORED) == "a1"


def test_signings_months_apart_stay_two() -> None:
    found = _found(("Alpha", "Beta"), date(2027, 3, 2), date(2027, 3, 2))
    assert find_same_signing(found, STORED) is None


def test_different_party_sets_never_merge() -> None:
    found = _found(("Alpha", "Gamma"), date(2026, 11, 18), date(2026, 11, 18))
    assert find_same_signing(found, STORED) is None


def test_undated_report_within_a_week_merges_and_later_does_not() -> None:
    assert find_same_signing(_found(("Alpha", "Beta"), None, date(2026, 11, 24)), STORED) == "a1"
    assert find_same_signing(_found(("Alpha", "Beta"), None, date(2026, 12, 1)), STORED) is None


def test_closest_of_two_candidates_wins() -> None:
    stored = [*STORED, StoredAgreement("a2", ("Alpha", "Beta"), date(2026, 11, 21), None)]
    found = _found(("Alpha", "Beta"), date(2026, 11, 20), None)
    assert find_same_signing(found, stored) == "a2"


def test_a_month_only_date_merges_with_a_day_in_that_month_only() -> None:
    month = Agreement(
        parties=("Alpha", "Beta"),
        parties_as_written=("Alpha", "Beta"),
        agreement_type="mou",
        signed_on=date(2026, 11, 1),
        reported_on=date(2026, 12, 2),
        signed_on_precision="month",
    )
    assert find_same_signing(month, STORED) == "a1"  # 18 Nov is in November
    december = StoredAgreement("a2", ("Alpha", "Beta"), date(2026, 12, 1), None)
    assert find_same_signing(month, [december]) is None
