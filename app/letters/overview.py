"""What the letters page and the CLI show per recipient: where its letter goes, in which
language, and what a coordinator should check first (no named holder, no way to print, an
address too long for the window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.appeals.translations import available_languages, incomplete_languages
from app.directory.routing import (
    HolderKind,
    Route,
    RouteSummary,
    appeal_recipients,
    print_route,
    service_channels,
    summarise,
)
from app.extensions import db
from app.letters.address import address_size
from app.letters.service import letter_language, recipient_gaps, recipient_view
from app.models import Appeal, DeliveryPolicy, Post


@dataclass
class RecipientRow:
    post: Post
    role: str
    route: Route
    language: str
    gaps: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class LettersOverview:
    rows: list[RecipientRow]
    summary: RouteSummary
    languages: list[str]  # the languages the appeal's text is complete in
    incomplete: dict[str, list[str]] = field(default_factory=dict)  # language -> missing parts

    @property
    def warnings(self) -> list[str]:
        return [f"{row.post.label}: {warning}" for row in self.rows for warning in row.warnings]


def holder_warning(chosen: Route) -> str | None:
    """Why a letter goes to the office rather than a named person, or None."""
    if chosen.holder_kind == HolderKind.VACANT:
        return (f"no holder recorded on {chosen.on.isoformat()}: the letter is addressed to the "
                "office with a neutral salutation; check who holds the post")
    if chosen.holder_kind == HolderKind.COLLECTIVE:
        return "a collective body: the letter is addressed to the office with a neutral salutation"
    return None


def recipient_warnings(chosen: Route, language: str) -> list[str]:
    """Everything to check before the letter to `chosen.post` is printed or sent."""
    warnings = [w for w in (holder_warning(chosen),) if w]
    if chosen.channel is None:
        warnings.append(f"not in the print batch: {chosen.why_not}")
    elif chosen.channel == "post":
        view = recipient_view(chosen.post, chosen.resolution, language)
        if address_size(view.address_lines) is None:
            warnings.append("the address does not fit the envelope window: shorten it")
    return warnings


def letters_overview(appeal: Appeal, on: date | None = None) -> LettersOverview:
    """Every recipient of `appeal` with its print route, language and warnings, in order."""
    allowed = service_channels(db.session.get(DeliveryPolicy, appeal.id))
    rows = []
    for link in appeal_recipients(appeal):
        chosen = print_route(link.post, on, allowed_service=allowed)
        language = letter_language(appeal, link.post)
        rows.append(RecipientRow(link.post, link.role, chosen, language,
                                 recipient_gaps(link.post, language, on),
                                 recipient_warnings(chosen, language)))
    return LettersOverview(rows, summarise(row.route for row in rows),
                           available_languages(appeal), incomplete_languages(appeal))
