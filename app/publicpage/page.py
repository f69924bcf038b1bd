"""What the public appeal page and its neighbours need from this area, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.appeals.localized import appeal_text
from app.i18n import current_language, with_language
from app.models import Appeal, AppealPhoto
from app.publicpage.photos import photo_dir, photo_of
from app.publicpage.preview import PreviewContent
from app.publicpage.sharing import ShareLink, referred_url, share_links


@dataclass(frozen=True)
class Progress:
    count: int
    goal: int | None

    @property
    def percent(self) -> int:
        """How far towards the goal, 0-100 (full once reached)."""
        return min(100, self.count * 100 // self.goal) if self.goal else 0


@dataclass(frozen=True)
class ShareBlock:
    links: list[ShareLink]
    copy_url: str


def absolute(path: str) -> str:
    """An address on this site for other sites (link previews, shared links): from BASE_URL,
    never from the request's Host header."""
    return current_app.config["BASE_URL"] + path


def appeal_url(appeal: Appeal) -> str:
    return absolute(url_for("public.appeal_page", slug=appeal.slug))


def photo_url(photo: AppealPhoto | None) -> str | None:
    return url_for("publicpage.photo", file_name=photo.file_name) if photo else None


def shows_pitch(appeal: Appeal, text) -> bool:  # noqa: ANN001
    """The pitch is written in the appeal's own language: a reader of a translation is better
    served by the translated summary."""
    return bool(appeal.pitch) and (text.language == text.own_language
                                   or "summary" in text.parts_in_other_language)


def page_extras(appeal: Appeal) -> dict:
    """The photo, the progress towards the goal and the link-preview tags of an appeal page."""
    text = appeal_text(appeal, current_language())
    show_pitch = shows_pitch(appeal, text)
    description = (appeal.pitch if show_pitch else text.summary) or ""
    preview = with_language(url_for("publicpage.preview", slug=appeal.slug), current_language())
    photo = photo_of(appeal.id)
    return {
        "photo": photo, "photo_url": photo_url(photo), "show_pitch": show_pitch,
        "progress": Progress(appeal.confirmed_count, appeal.signature_goal),
        "link_preview": {
            "url": appeal_url(appeal), "title": text.title,
            "description": description[:300], "image": absolute(preview),
            "image_alt": photo.alt if photo else text.title,
        },
    }


def share_block(appeal: Appeal) -> ShareBlock:
    """The share links shown after signing, each with its channel's referral code."""
    title = appeal_text(appeal, current_language()).title
    url = appeal_url(appeal)
    return ShareBlock(share_links(url, title, _("Please sign: %(title)s", title=title)),
                      referred_url(url, "link"))


def preview_content(appeal: Appeal) -> PreviewContent:
    """What the preview card of an appeal shows, in the page language."""
    count = appeal.confirmed_count
    photo = photo_of(appeal.id)
    text = appeal_text(appeal, current_language())
    return PreviewContent(
        appeal_id=appeal.id, language=current_language(), title=text.title,
        count_line=ngettext("%(count)s signature", "%(count)s signatures", count,
                            count=format_decimal(count)),
        count=count, site_name=(text.organisation if appeal.group else None) or _("Appeal Desk"),
        photo_path=photo_dir() / photo.file_name if photo else None,
    )

