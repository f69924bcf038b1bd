"""The numbers behind the campaign charts, each read by one aggregate query on a small table.

Signatures come from `signature_days` (kept by triggers, one row per appeal, day, country and
status), never from `signatures`: the charts cost the same at 100 or 1,000,000 signatures.
Letters and replies are counted on `deliveries` and `official_replies` by their appeal_id index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Delivery, OfficialReply, SignatureDay, SignatureTally
from app.models.enums import SignatureStatus

COUNTED = (SignatureStatus.CONFIRMED, SignatureStatus.PENDING)


@dataclass(frozen=True)
class DayCount:
    day: date
    confirmed: int
    pending: int


@dataclass
class CampaignFigures:
    """Everything the charts show, for one appeal or the appeals a coordinator sees."""

    days: list[DayCount] = field(default_factory=list)
    countries: list[tuple[str, int]] = field(default_factory=list)  # confirmed, most first
    statuses: dict[str, int] = field(default_factory=dict)
    letters_sent: list[tuple[str, int]] = field(default_factory=list)  # per channel
    replies: int = 0

    @property
    def confirmed(self) -> int:
        return self.statuses.get(SignatureStatus.CONFIRMED, 0)


def campaign_figures(appeal_ids: Sequence[int]) -> CampaignFigures:
    """The figures of these appeals added together (five small aggregate queries)."""
    ids = list(appeal_ids)
    if not ids:
        return CampaignFigures()
    return CampaignFigures(days=_days(ids), countries=_countries(ids), statuses=_statuses(ids),
                           letters_sent=_letters_sent(ids), replies=_replies(ids))


def _days(ids: list[int]) -> list[DayCount]:
    rows = db.session.execute(
        select(SignatureDay.day, SignatureDay.status, func.sum(SignatureDay.count))
        .where(SignatureDay.appeal_id.in_(ids), SignatureDay.status.in_(COUNTED))
        .group_by(SignatureDay.day, SignatureDay.status)
    )
    by_day: dict[date, dict[str, int]] = {}
    for day, status, count in rows:
        by_day.setdefault(day, {})[status] = int(count or 0)
    return [DayCount(day, counts.get(SignatureStatus.CONFIRMED, 0),
                     counts.get(SignatureStatus.PENDING, 0))
            for day, counts in sorted(by_day.items())
            if any(counts.values())]


def _countries(ids: list[int]) -> list[tuple[str, int]]:
    total = func.sum(SignatureDay.count)
    rows = db.session.execute(
        select(SignatureDay.country, total)
        .where(SignatureDay.appeal_id.in_(ids), SignatureDay.status == SignatureStatus.CONFIRMED)
        .group_by(SignatureDay.country).having(total > 0)
        .order_by(total.desc(), SignatureDay.country)
    )
    return [(country, int(count)) for country, count in rows]


def _statuses(ids: list[int]) -> dict[str, int]:
    rows = db.session.execute(
        select(SignatureTally.status, func.sum(SignatureTally.count))
        .where(SignatureTally.appeal_id.in_(ids)).group_by(SignatureTally.status)
    )
    return {status: int(count or 0) for status, count in rows}


def _letters_sent(ids: list[int]) -> list[tuple[str, int]]:
    count = func.count()
    rows = db.session.execute(
        select(Delivery.channel, count)
        .where(Delivery.appeal_id.in_(ids), Delivery.status == "sent")
        .group_by(Delivery.channel).order_by(count.desc(), Delivery.channel)
    )
    return [(channel, int(n)) for channel, n in rows]


def _replies(ids: list[int]) -> int:
    return int(db.session.scalar(
        select(func.count()).select_from(OfficialReply).where(OfficialReply.appeal_id.in_(ids))
    ) or 0)
