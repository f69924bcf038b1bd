"""Case updates a coordinator writes to an appeal's supporters: who gets them, in which language,
how often, and the one-click unsubscribe (RFC 2369 List-Unsubscribe, RFC 8058 One-Click).

Each supporter gets the update in the language they signed in (`Signature.language`): its text
from the coordinator's version in that language, else the next of its fallback chain
(app/languages.py), else the appeal's own language. The e-mail is rendered once per language
and each supporter's own links are put in after, so a large appeal costs one render per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import quote

from flask import current_app
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape
from nacl.public import PrivateKey
from sqlalchemy import func, select

from app.appeals.localized import appeal_text
from app.appeals.rendering import markdown_as_text, render_markdown
from app.delivery.channels import signer_token
from app.extensions import db
from app.i18n import in_language, with_language
from app.languages import CODES, DEFAULT_LANGUAGE, fallback_chain, is_supported
from app.mail.render import render_email
from app.models import Appeal, CaseEvent, CaseUpdate, Signature, utcnow
from app.models.enums import EventKind, SignatureStatus, TokenPurpose
from app.outbox import queue_email
from app.sealing.boxes import SealError, open_signer
from app.tokens import issue_token

WEEK = timedelta(days=7)
# Stand-ins for each supporter's own links while an e-mail is rendered once per language.
UNSUBSCRIBE_SLOT, WRITE_SLOT = "\x00unsubscribe\x00", "\x00write\x00"


@dataclass(frozen=True)
class UpdateText:
    """An update in one language: a one-line subject and a Markdown (or plain) text.

    An event of the case timeline also has its date and court, shown before and after the
    subject in each reader's own date format; an update written as such has neither.
    """

    subject: str
    body: str
    when: date | None = None
    court: str | None = None


@dataclass(frozen=True)
class RenderedUpdate:
    """An update e-mail as a supporter reads it (`fragment`: the HTML part's content)."""

    language: str
    text_language: str
    subject: str
    body_text: str
    body_html: str
    fragment: Markup


class UpdateRefused(Exception):
    """The update may not be sent now; the message says why, in the coordinator's language."""


def update_languages(appeal: Appeal) -> list[str]:
    """The languages an update is written in: the appeal's own, then those it is translated to."""
    own = appeal.letter_language or DEFAULT_LANGUAGE
    translated = appeal.translations or {}
    return [own, *(code for code in CODES if code != own and code in translated)]


def text_for(texts: dict[str, UpdateText], language: str | None, own: str) -> str:
    """Which version of the update a reader of `language` gets (its code)."""
    return next((code for code in fallback_chain(language) if code in texts), own)


def update_recipients(appeal: Appeal, private_key: PrivateKey) -> Iterator[tuple[Signature, str]]:
    """(signature, e-mail address) of every confirmed signer who asked for news, each address
    opened with the organisation's key in memory (app/sealing); rows sealed to an earlier key
    of the organisation are skipped. The one place update e-mails find their addresses."""
    for signature in db.session.scalars(
        select(Signature).where(
            Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED,
            Signature.wants_updates.is_(True), Signature.sealed.is_not(None),
        ).order_by(Signature.id)
    ):
        try:
            address = open_signer(signature, private_key).email
        except SealError:
            continue
        if address:
            yield signature, address


def count_update_recipients(appeal: Appeal) -> int:
    """How many supporters an update would be queued for now."""
    return db.session.scalar(select(func.count()).select_from(Signature).where(
        Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED,
        Signature.wants_updates.is_(True), Signature.sealed.is_not(None))) or 0


def sent_updates(appeal: Appeal, limit: int = 20) -> list[CaseUpdate]:
    """The appeal's latest updates, newest first."""
    return list(db.session.scalars(
        select(CaseUpdate).where(CaseUpdate.appeal_id == appeal.id)
        .order_by(CaseUpdate.created_at.desc(), CaseUpdate.id.desc()).limit(limit)))


def unsubscribe_headers(appeal: Appeal, url: str) -> dict[str, str]:
    """List-Unsubscribe (the one-click URL, and a mailto: a person reads) and
    List-Unsubscribe-Post, which tells mail clients that a bare POST to the URL unsubscribes."""
    config = current_app.config
    mailbox = config.get("UNSUBSCRIBE_MAILTO") or parseaddr(config["MAIL_DEFAULT_SENDER"])[1]
    value = f"<{url}>"
    if mailbox:
        value += f", <mailto:{quote(mailbox, safe='@.+-_')}?subject=unsubscribe%20{appeal.slug}>"
    return {"List-Unsubscribe": value, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def render_update(appeal: Appeal, texts: dict[str, UpdateText], language: str | None, *,
                  unsubscribe_url: str = UNSUBSCRIBE_SLOT,
                  write_url: str | None = WRITE_SLOT) -> RenderedUpdate:
    """The e-mail a reader of `language` gets (the preview shows exactly this)."""
    own = appeal.letter_language or DEFAULT_LANGUAGE
    code = language if is_supported(language) else DEFAULT_LANGUAGE
    chosen = text_for(texts, code, own)
    text = texts[chosen]
    base = current_app.config["BASE_URL"]
    with in_language(code):
        title = appeal_text(appeal, code).title
        context = {"title": title, "text": text, "text_language": chosen, "page_language": code,
                   "body_html": render_markdown(text.body), "unsubscribe_url": unsubscribe_url,
                   "write_url": write_url if appeal.letters_allowed else None,
                   "appeal_url": with_language(f"{base}/a/{appeal.slug}", code)}
        subject = _("News: %(title)s — %(event)s", title=title, event=text.subject)
        fragment = Markup(render_email("email/_campaign_update.html", **context))
        return RenderedUpdate(
            language=code, text_language=chosen, subject=" ".join(subject.split())[:300],
            body_text=render_email("email/campaign_update.txt", **context),
            body_html=render_email("email/campaign_update.html", fragment=fragment, page_language=code),
            fragment=fragment)


def preview_update(appeal: Appeal, texts: dict[str, UpdateText]) -> list[RenderedUpdate]:
    """The update in each of the appeal's languages, with sample links in place of a signer's."""
    base = current_app.config["BASE_URL"]
    return [render_update(appeal, texts, code, unsubscribe_url=f"{base}/unsubscribe/…",
                          write_url=f"{base}/a/{appeal.slug}/write?s=…")
            for code in update_languages(appeal)]


def recent_updates(appeal: Appeal, now: datetime | None = None) -> list[datetime]:
    """When the updates of the last seven days were sent, oldest first."""
    since = (now or utcnow()) - WEEK
    return list(db.session.scalars(
        select(CaseUpdate.created_at).where(CaseUpdate.appeal_id == appeal.id,
                                            CaseUpdate.created_at > since)
        .order_by(CaseUpdate.created_at)))


def updates_left(appeal: Appeal, now: datetime | None = None) -> int:
    """How many more updates may go out in the current seven days."""
    return max(current_app.config["CASE_UPDATES_PER_WEEK"] - len(recent_updates(appeal, now)), 0)


def refuse_over_cap(appeal: Appeal, now: datetime | None = None) -> None:
    """Raise UpdateRefused when the appeal has had CASE_UPDATES_PER_WEEK updates in 7 days."""
    cap = current_app.config["CASE_UPDATES_PER_WEEK"]
    recent = recent_updates(appeal, now)
    if cap <= 0:
        raise UpdateRefused(_("Case updates are turned off on this site (CASE_UPDATES_PER_WEEK is 0)."))
    if len(recent) >= cap:
        free_at = recent[len(recent) - cap] + WEEK
        raise UpdateRefused(ngettext(
            "This appeal has already had %(num)d update in the last 7 days, the most allowed. "
            "The next one can be sent after %(when)s (UTC).",
            "This appeal has already had %(num)d updates in the last 7 days, the most allowed. "
            "The next one can be sent after %(when)s (UTC).",
            len(recent), when=format_datetime(free_at, "medium", rebase=False)))


def send_update(appeal: Appeal, texts: dict[str, UpdateText], private_key: PrivateKey, *,
                author_id: int | None, now: datetime | None = None) -> CaseUpdate:
    """Put the update on the public timeline and queue it for every supporter who asked for
    news. Raises UpdateRefused over the weekly cap (nothing stored). Commits.

    A paused (or draft) appeal's updates wait in the outbox until it opens again
    (app.delivery.claim holds them).
    """
    refuse_over_cap(appeal, now)
    now = now or utcnow()
    own_text = texts[appeal.letter_language or DEFAULT_LANGUAGE]
    event = CaseEvent(appeal_id=appeal.id, date=now.date(), kind=EventKind.OTHER,
                      title=own_text.subject, description=markdown_as_text(own_text.body),
                      public=True)
    db.session.add(event)
    db.session.flush()
    queued = queue_update(appeal, texts, private_key)
    update = CaseUpdate(appeal_id=appeal.id,
                        texts={k: {"subject": v.subject, "body": v.body} for k, v in texts.items()},
                        recipients=queued, event_id=event.id, created_by_id=author_id,
                        created_at=now)
    db.session.add(update)
    appeal.updated_at = utcnow()  # the timeline changed: the cached public page is renewed
    db.session.commit()
    return update


def queue_update(appeal: Appeal, texts: dict[str, UpdateText], private_key: PrivateKey) -> int:
    """Queue one e-mail per supporter who asked for news (not committed); how many."""
    rendered: dict[str, RenderedUpdate] = {}
    count = 0
    for signature, email in list(update_recipients(appeal, private_key)):
        language = signature.language if is_supported(signature.language) else DEFAULT_LANGUAGE
        if language not in rendered:
            rendered[language] = render_update(appeal, texts, language)
        queue_personal(appeal, rendered[language], signature, email)
        count += 1
    return count


def queue_personal(appeal: Appeal, update: RenderedUpdate, signature: Signature,
                   email: str, kind: str = "case_update") -> None:
    """Queue `update` to one supporter with their own unsubscribe and letter links."""
    base = current_app.config["BASE_URL"]
    raw = issue_token(TokenPurpose.UNSUBSCRIBE, signature.id, ttl=None)
    unsubscribe_url = with_language(f"{base}/unsubscribe/{raw}", update.language)
    write_url = with_language(f"{base}/a/{appeal.slug}/write?s={signer_token(signature)}",
                              update.language)

    def personal(text: str, html: bool) -> str:
        put = escape if html else str
        return text.replace(UNSUBSCRIBE_SLOT, put(unsubscribe_url)).replace(WRITE_SLOT, put(write_url))

    queue_email(kind=kind, to=email, subject=update.subject,
                body_text=personal(update.body_text, False),
                body_html=personal(update.body_html, True), appeal_id=appeal.id, sensitive=True,
                headers=unsubscribe_headers(appeal, unsubscribe_url))
