"""The print batch of an appeal: which letters the office prints, and the files it gets.

Each recipient takes its print route (app.directory.routing.print_route): postal letters, and
faxes staff send by hand (with a cover sheet); a post the service e-mails or faxes itself, a
web-form-only or e-mail-only post, or one with no contact at all is skipped with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.directory.routing import (
    Channel,
    RouteSummary,
    appeal_recipients,
    print_route,
    service_channels,
    summarise,
)
from app.extensions import db
from app.letters.address import check_fits
from app.letters.batch import BatchResult, write_batch
from app.letters.service import (
    check_allowed,
    confirmed_count,
    letter_language,
    letter_unit,
    named_signatories,
)
from app.letters.views import LetterUnit
from app.models import Appeal, DeliveryPolicy


@dataclass
class PrintPlan:
    """The letters of a print batch and what went where (and what was skipped, and why)."""

    units: list[LetterUnit]
    summary: RouteSummary


def print_plan(appeal: Appeal, *, on: date | None = None,
               language: str | None = None) -> PrintPlan:
    """One joint letter per recipient the office prints (postal letters; faxes by hand with a
    cover), in recipient order. Raises AddressDoesNotFit (naming the post) before any is typeset."""
    check_allowed(appeal)
    on = on or date.today()
    allowed = service_channels(db.session.get(DeliveryPolicy, appeal.id))
    routes = [print_route(link.post, on, allowed_service=allowed)
              for link in appeal_recipients(appeal)]
    count = confirmed_count(appeal)
    cache: dict[str, tuple] = {}
    units = []
    for chosen in (r for r in routes if r.channel is not None):
        lang = letter_language(appeal, chosen.post, language)
        if lang not in cache:
            cache[lang] = named_signatories(appeal, lang)
        unit = letter_unit(appeal, chosen.post, on=on, language=lang, with_annex=True,
                           signatories=cache[lang], count=count)
        if chosen.channel == Channel.POST:
            check_fits(unit.recipient.address_lines, unit.recipient.post_label)
        unit.fax_cover = chosen.channel == Channel.FAX
        units.append(unit)
    return PrintPlan(units, summarise(routes))


def print_batch(appeal: Appeal, out_dir: Path | str, *, on: date | None = None,
                progress: Callable[[int], None] | None = None,
                language: str | None = None) -> BatchResult:
    """Write the print batch of `appeal` into `out_dir`: <slug>-letters.pdf (duplex-ready,
    fax covers), <slug>-letters.zip (one <post-slug>.pdf each) and <slug>-letters-labels.csv
    (postal letters only). The result's `summary` says what went where and what was skipped."""
    plan = print_plan(appeal, on=on, language=language)
    result = write_batch(plan.units, Path(out_dir), stem=f"{appeal.slug}-letters",
                         progress=progress)
    result.summary = plan.summary
    return result
