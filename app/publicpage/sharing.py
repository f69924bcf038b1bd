"""Share links after signing, and the count of confirmed signatures each channel brought.

Every link carries `?ref=<channel>`; the appeal page passes it through its sign form, the new
signature is noted as coming through that channel until it is confirmed, and then only the
channel's count goes up (the note is deleted): counts per channel, never a list of people.
The same pattern as partners' referrals (app/partners/service.py), which count partners' forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from app.db_setup import dialect_insert
from app.extensions import db
from app.models import PendingShareReferral, ShareCount
from app.signatures.service import pending_signature_id

# The order the links are shown in, and the code in `?ref=` (short: it travels in every link).
CHANNELS: dict[str, object] = {
    "tg": _l("Telegram"), "wa": _l("WhatsApp"), "fb": _l("Facebook"), "x": _l("X"),
    "vk": _l("VK"), "email": _l("E-mail"), "link": _l("Copied link"),
}


@dataclass(frozen=True)
class ShareLink:
    channel: str
    label: str
    href: str


def channel_of(ref: str | None) -> str | None:
    """The channel code in a `ref` parameter, or None for anything else."""
    return ref if ref in CHANNELS else None


def referred_url(page_url: str, channel: str) -> str:
    return f"{page_url}?{urlencode({'ref': channel})}"


def share_links(page_url: str, title: str, mail_subject: str) -> list[ShareLink]:
    """Links that open each service's own share screen; none is requested before a tap."""
    def url(channel: str) -> str:
        return referred_url(page_url, channel)

    message = lambda channel: f"{title} {url(channel)}"  # noqa: E731
    hrefs = {
        "tg": "https://t.me/share/url?" + urlencode({"url": url("tg"), "text": title}),
        "wa": "https://wa.me/?" + urlencode({"text": message("wa")}),
        "fb": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url("fb")}),
        "x": "https://x.com/intent/post?" + urlencode({"text": title, "url": url("x")}),
        "vk": "https://vk.com/share.php?" + urlencode({"url": url("vk"), "title": title}),
        # mailto wants %20, not '+', for spaces (RFC 6068)
        "email": f"mailto:?subject={quote(mail_subject)}&body={quote(message('email'))}",
    }
    return [ShareLink(code, str(CHANNELS[code]), href) for code, href in hrefs.items()]


def refer_pending_signature(appeal_id: int, email: str, channel: str) -> None:
    """Note the channel an unconfirmed signature came through. Commits.

    An already confirmed signature is left alone: it was counted where it was made.
    """
    signature_id = pending_signature_id(appeal_id, email)
    if signature_id is not None:
        referral = db.session.get(PendingShareReferral, signature_id)
        if referral is None:
            db.session.add(PendingShareReferral(signature_id=signature_id, channel=channel))
        else:
            referral.channel = channel  # the latest link followed is the one that brought them
    db.session.commit()


def on_signature_confirmed(signature, **_extra) -> None:  # noqa: ANN001, ANN003
    """Receiver of app.signatures.events.signature_confirmed: runs in the confirmation's
    transaction (not committed here)."""
    channel = db.session.scalar(select(PendingShareReferral.channel)
                                .where(PendingShareReferral.signature_id == signature.id))
    if channel is None:
        return
    # Insert-if-missing then add in SQL: two first confirmations at once both count.
    db.session.execute(_insert_missing(signature.appeal_id, channel))
    db.session.execute(
        update(ShareCount).where(ShareCount.appeal_id == signature.appeal_id,
                                 ShareCount.channel == channel)
        .values(confirmed_count=ShareCount.confirmed_count + 1))
    db.session.execute(delete(PendingShareReferral)
                       .where(PendingShareReferral.signature_id == signature.id))


def _insert_missing(appeal_id: int, channel: str):  # noqa: ANN202
    return (dialect_insert(db.session)(ShareCount)
            .values(appeal_id=appeal_id, channel=channel, confirmed_count=0)
            .on_conflict_do_nothing(index_elements=["appeal_id", "channel"]))


def channel_counts(appeal_id: int) -> list[tuple[str, int]]:
    """[(channel label, confirmed signatures)] in the channels' order, channels with none too."""
    rows = dict(db.session.execute(select(ShareCount.channel, ShareCount.confirmed_count)
                                   .where(ShareCount.appeal_id == appeal_id)).all())
    return [(str(label), rows.get(code, 0)) for code, label in CHANNELS.items()]
