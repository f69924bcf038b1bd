"""The coordinator's "Public page" form, the photo as served, and the link-preview image."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appeals.queries import PUBLIC_STATES
from app.auth.access import appeal_for, coordinator_required, scope_appeals
from app.extensions import db
from app.i18n import prefer_content_language
from app.models import Appeal
from app.publicpage.forms import PublicPageForm
from app.publicpage.page import photo_url, preview_content
from app.publicpage.photos import photo_by_file, photo_dir, photo_of, save_public_page
from app.publicpage.preview import preview_png
from app.publicpage.sharing import channel_counts

bp = Blueprint("publicpage", __name__)
bp.add_app_template_global(channel_counts, "share_channel_counts")

PHOTO_MAX_AGE_S = 365 * 24 * 3600  # a photo's name changes with every upload


def _edit_page(appeal: Appeal, form: PublicPageForm, status: int = 200):
    photo = photo_of(appeal.id)
    return render_template("publicpage/coordinator.html", appeal=appeal, form=form, photo=photo,
                           photo_url=photo_url(photo)), status


@bp.get("/coordinator/appeals/<slug>/public-page")
@coordinator_required
def edit(slug: str):
    appeal = appeal_for(current_user, slug)
    photo = photo_of(appeal.id)
    form = PublicPageForm(
        has_photo=photo is not None, pitch=appeal.pitch, signature_goal=appeal.signature_goal,
        photo_alt=photo.alt if photo else None, photo_credit=photo.credit if photo else None)
    return _edit_page(appeal, form)


@bp.post("/coordinator/appeals/<slug>/public-page")
@coordinator_required
def save(slug: str):
    appeal = appeal_for(current_user, slug)
    form = PublicPageForm(has_photo=photo_of(appeal.id) is not None)
    if not form.validate_on_submit():
        return _edit_page(appeal, form, 400)
    save_public_page(appeal, form.page_input())
    flash(_("The public page is saved."), "success")
    return redirect(url_for(".edit", slug=slug), 303)


def image_response(data: bytes, mimetype: str, max_age: int) -> Response:
    """An image anyone may cache for `max_age` seconds, with an ETag for revalidation."""
    response = Response(data, mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/photos/<file_name>")
def photo(file_name: str):
    """A public appeal's photo (the coordinator's own appeals' too, for the form's preview)."""
    stored = photo_by_file(file_name)
    appeal = db.session.get(Appeal, stored.appeal_id) if stored else None
    if appeal is None or (appeal.state not in PUBLIC_STATES and not _may_edit(appeal)):
        abort(404)
    path = photo_dir() / stored.file_name
    if not path.is_file():
        abort(404)
    return image_response(path.read_bytes(), "image/jpeg", PHOTO_MAX_AGE_S)


def _may_edit(appeal: Appeal) -> bool:
    """A coordinator of the appeal's group (or an admin) sees the photo of a draft too."""
    if not current_user.is_authenticated or current_user.role not in ("coordinator", "admin"):
        return False
    return db.session.scalar(scope_appeals(select(Appeal.id).where(Appeal.id == appeal.id),
                                           current_user)) is not None


@bp.get("/a/<slug>/preview.png")
def preview(slug: str):
    """The card a chat app shows for a link to the appeal (Open Graph image)."""
    appeal = db.session.scalar(select(Appeal).where(
        Appeal.slug == slug[:80], Appeal.state.in_(PUBLIC_STATES)))
    if appeal is None:
        abort(404)
    prefer_content_language(appeal.letter_language)
    png = preview_png(preview_content(appeal))
    return image_response(png, "image/png", current_app.config["PREVIEW_REFRESH_S"])
