"""The merge rule: when a newly extracted agreement is the same signing as a stored one. Pure.

Two reports are one signing when their canonical party sets are equal and their anchor dates are
close: within SAME_SIGNING_DAYS when both state a signing date (the same month when one states
only the month), within UNDATED_WINDOW_DAYS when either does not (then the report's publication
date is the anchor). It refuses to merge different party sets, however similar, and signings
between the same parties further apart than those windows (a renewal months later stays a second
agreement). Known limit: two different agreements signed by the same parties on the same day
merge into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flows.models import Agreement

SAME_SIGNING_DAYS = 3
UNDATED_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class StoredAgreement:
    """The parts of a stored agreement the merge rule looks at."""

    agreement_id: str
    parties: tuple[str, ...]
    signed_on: date | None
    reported_on: date | None
    signed_on_precision: str = "day"


def find_same_signing(found: Agreement, stored: Sequence[StoredAgreement]) -> str | None:
    """Return the id of the stored agreement ``found`` reports again, or None when it is new."""
    parties = frozenset(found.parties)
    best: tuple[int, str] | None = None
    for candidate in stored:
        if frozenset(candidate.parties) != parties:
            continue
        gap = _gap_days(found, candidate)
        if gap is not None and (best is None or gap < best[0]):
            best = (gap, candidate.agreement_id)
    return best[1] if best else None


def _gap_days(found: Agreement, candidate: StoredAgreement) -> int | None:
    month = "month" in (found.signed_on_precision, candidate.signed_on_precision)
    if found.signed_on and candidate.signed_on and month:  # "in March" is any day of March
        same = (found.signed_on.year, found.signed_on.month) == (
            candidate.signed_on.year,
            candidate.signed_on.month,
        )
        return abs((found.signed_on - candidate.signed_on).days) if same else None
    if found.signed_on and candidate.signed_on:
        gap = abs((found.signed_on - candidate.signed_on).days)
        return gap if gap <= SAME_SIGNING_DAYS else None
    mine = found.signed_on or found.reported_on
    theirs = candidate.signed_on or candidate.reported_on
    if mine is None or theirs is None:
        return None
    gap = abs((mine - theirs).days)
    return gap if gap <= UNDATED_WINDOW_DAYS else None
