"""The coordinator's partner page: the coalition, its counts, origins and embed snippets."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import appeal_for, coordinator_required
from app.extensions import db
from app.models import Partner
from app.partners.forms import OriginsForm, PartnerForm, RemovePartnerForm
from app.partners.service import (
    PartnerInput,
    add_partner,
    partner_by_code,
    partners_of,
    pending_counts,
    remove_partner,
    update_origins,
)

bp = Blueprint("partners", __name__, url_prefix="/coordinator/appeals/<slug>/partners")


def embed_snippet(appeal, partner) -> str:  # noqa: ANN001
    """The <iframe> a partner pastes into its page."""
    src = current_app.config["BASE_URL"] + url_for("embed.form", slug=appeal.slug, code=partner.code)
    return (f'<iframe src="{src}" title="{partner.name}: {appeal.title}" width="100%" '
            'height="1100" style="border:0" loading="lazy"></iframe>')


def _render(appeal, form=None, status: int = 200):  # noqa: ANN001
    partners = partners_of(appeal.id)
    return render_template(
        "partners/coordinator.html", appeal=appeal, partners=partners,
        pending=pending_counts(appeal.id), form=form or PartnerForm(), remove_form=RemovePartnerForm(),
        origins_forms={p.id: OriginsForm(frame_origins=p.frame_origins.replace(" ", "\n"))
                       for p in partners},
        snippets={p.id: embed_snippet(appeal, p) for p in partners},
    ), status


@bp.get("/")
@coordinator_required
def index(slug: str):
    return _render(appeal_for(current_user, slug))


@bp.post("/")
@coordinator_required
def add(slug: str):
    appeal = appeal_for(current_user, slug)
    form = PartnerForm()
    if not form.validate_on_submit():
        return _render(appeal, form, 400)
    if partner_by_code(appeal.id, form.code.data):
        form.code.errors.append(_("Another partner of this appeal has this code."))
        return _render(appeal, form, 400)
    add_partner(appeal, PartnerInput(form.name.data, form.code.data, form.website.data,
                                     form.frame_origins.data))
    flash(_("Partner added."), "success")
    return redirect(url_for(".index", slug=slug), 303)


@bp.post("/<int:partner_id>/origins")
@coordinator_required
def origins(slug: str, partner_id: int):
    appeal = appeal_for(current_user, slug)
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.appeal_id != appeal.id:
        abort(404)
    form = OriginsForm()
    if not form.validate_on_submit():
        flash(" ".join(form.frame_origins.errors) or _("The form expired."), "error")
        return _render(appeal, status=400)
    update_origins(partner, form.frame_origins.data)
    flash(_("Origins saved."), "success")
    return redirect(url_for(".index", slug=slug), 303)


@bp.post("/remove")
@coordinator_required
def remove(slug: str):
    appeal = appeal_for(current_user, slug)
    form = RemovePartnerForm()
    if not form.validate_on_submit() or not remove_partner(appeal, form.partner_id.data):
        abort(404)
    flash(_("Partner removed."), "success")
    return redirect(url_for(".index", slug=slug), 303)
