"""The campaign's charts, each an SVG with its numbers beside it as a table for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.campaign_charts import svg
from app.campaign_charts.figures import CampaignFigures, DayCount, campaign_figures
from app.i18n import country_name
from app.models import Appeal

MAX_COLUMNS = 92  # a quarter of daily columns; longer campaigns are drawn per N days
TOP_COUNTRIES = 10
CHANNELS = {
    "email": _l("E-mail (sent by the service)"), "fax": _l("Fax (sent by the service)"),
    "post": _l("Post (registered mail)"), "fax_by_hand": _l("Fax sent by staff"),
    "hand_delivered": _l("Delivered by hand"), "email_by_hand": _l("E-mail sent by staff"),
    "web_form": _l("Web form (text pasted by staff)"),
}


@dataclass(frozen=True)
class Chart:
    """One figure: the drawing, a one-line summary, and every number in a table."""

    key: str
    title: str
    svg: Markup
    summary: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    long_table: bool = False  # folded in <details> (a row per day)


def campaign_charts(appeal_ids: Sequence[int], goal: int | None = None) -> list[Chart]:
    """Every chart of these appeals: per day, cumulative, countries, statuses, letters."""
    figures = campaign_figures(appeal_ids)
    return [_per_day(figures), _cumulative(figures, goal), _by_country(figures),
            _by_status(figures), _letters(figures)]


def _number(value: int) -> str:
    return format_decimal(value)


def _buckets(days: list[DayCount]) -> tuple[list[DayCount], int]:
    """Every day from the first to the last (gaps as zero), grouped N days a column."""
    if not days:
        return [], 1
    known = {d.day: d for d in days}
    span = (days[-1].day - days[0].day).days + 1
    size = -(-span // MAX_COLUMNS)
    filled = []
    for start in range(0, span, size):
        chunk = [known.get(days[0].day + timedelta(days=start + i)) for i in range(size)]
        chunk = [c for c in chunk if c is not None]
        filled.append(DayCount(days[0].day + timedelta(days=start),
                               sum(c.confirmed for c in chunk), sum(c.pending for c in chunk)))
    return filled, size


def _dates(buckets: list[DayCount]) -> tuple[str, str]:
    if not buckets:
        return "", ""
    return format_date(buckets[0].day, "medium"), format_date(buckets[-1].day, "medium")


def _per_day(figures: CampaignFigures) -> Chart:
    buckets, size = _buckets(figures.days)
    title = _("Signatures per day") if size == 1 else _("Signatures per %(num)d days", num=size)
    first, last = _dates(buckets)
    peak = max((b.confirmed + b.pending for b in buckets), default=0)
    drawing = svg.columns(title, [svg.Column(b.confirmed, b.pending) for b in buckets], first,
                          last, _number(peak), _("No signatures yet."))
    rows = tuple((format_date(b.day, "medium"), _number(b.confirmed), _number(b.pending))
                 for b in buckets)
    summary = _("Dark: confirmed; light: not yet confirmed. Busiest: %(num)s.", num=_number(peak))
    return Chart("per-day", title, drawing, summary,
                 (_("From") if size > 1 else _("Day"), _("Confirmed"), _("Not yet confirmed")),
                 rows, long_table=True)


def _cumulative(figures: CampaignFigures, goal: int | None) -> Chart:
    buckets, _size = _buckets(figures.days)
    totals = list(accumulate(b.confirmed for b in buckets))
    first, last = _dates(buckets)
    title = _("Confirmed signatures in all")
    top = max(max(totals, default=0), goal or 0)
    goal_text = _("Goal: %(num)s", num=_number(goal)) if goal else ""
    drawing = svg.cumulative(title, totals, goal, first, last, _number(top), goal_text,
                             _("No signatures yet."))
    total = totals[-1] if totals else 0
    summary = (_("%(num)s of a goal of %(goal)s.", num=_number(total), goal=_number(goal))
               if goal else _("%(num)s confirmed; this appeal has no goal set.", num=_number(total)))
    rows = tuple((format_date(b.day, "medium"), _number(t)) for b, t in zip(buckets, totals,
                                                                          strict=True))
    return Chart("cumulative", title, drawing, summary, (_("Up to"), _("Confirmed in all")), rows,
                 long_table=True)


def _by_country(figures: CampaignFigures) -> Chart:
    shown = figures.countries[:TOP_COUNTRIES]
    rest = sum(count for _code, count in figures.countries[TOP_COUNTRIES:])
    items = [(country_name(code), count) for code, count in shown]
    if rest:
        items.append((_("Other countries"), rest))
    title = _("Confirmed signatures by country")
    drawing = svg.horizontal_bars(
        title, [svg.Bar(label, count, value_text=_number(count)) for label, count in items],
        _("No confirmed signatures yet."))
    summary = ngettext("From %(num)d country.", "From %(num)d countries.", len(figures.countries))
    return Chart("countries", title, drawing, summary, (_("Country"), _("Confirmed")),
                 tuple((label, _number(count)) for label, count in items))


def _by_status(figures: CampaignFigures) -> Chart:
    items = [(_("Confirmed"), figures.statuses.get("confirmed", 0), "main"),
             (_("Not yet confirmed"), figures.statuses.get("pending", 0), "light"),
             (_("Suspect (not counted)"), figures.statuses.get("suspect", 0), "warn")]
    title = _("Confirmations and pending signatures")
    drawing = svg.horizontal_bars(
        title, [svg.Bar(label, count, colour, _number(count)) for label, count, colour in items], "")
    summary = _("%(confirmed)s confirmed, %(pending)s waiting for the signer to confirm.",
                confirmed=_number(items[0][1]), pending=_number(items[1][1]))
    return Chart("statuses", title, drawing, summary, (_("Status"), _("Signatures")),
                 tuple((label, _number(count)) for label, count, _c in items))


def _letters(figures: CampaignFigures) -> Chart:
    items = [(str(CHANNELS.get(channel, channel)), count, "main")
             for channel, count in figures.letters_sent]
    items.append((_("Replies received"), figures.replies, "reply"))
    title = _("Letters sent per channel, and replies")
    drawing = svg.horizontal_bars(
        title, [svg.Bar(label, count, colour, _number(count)) for label, count, colour in items], "")
    sent = sum(count for _channel, count in figures.letters_sent)
    summary = _("Letters sent: %(sent)s. Replies received: %(replies)s.", sent=_number(sent),
                replies=_number(figures.replies))
    return Chart("letters", title, drawing, summary, (_("Channel"), _("Letters")),
                 tuple((label, _number(count)) for label, count, _c in items))


def appeal_goal(appeal: Appeal) -> int | None:
    """The appeal's signature goal (the one its public page shows), if it has one."""
    goal = appeal.signature_goal
    return goal if isinstance(goal, int) and goal > 0 else None


