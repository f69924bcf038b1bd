"""Organisations edited in the browser: name, website, e-mail for replies, address, logo."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import admin_required, coordinator_required
from app.models import Group
from app.organisations.forms import NewOrganisationForm, OrganisationForm
from app.organisations.service import organisation_for, save_organisation, visible_organisations

bp = Blueprint("organisations", __name__, url_prefix="/coordinator/organisations")


@bp.get("/")
@coordinator_required
def index():
    """The organisations the account may edit (a coordinator: their own)."""
    return render_template("organisations/index.html",
                           organisations=visible_organisations(current_user))


def _saved(form: OrganisationForm, group: Group):
    save_organisation(group, form.data, logo_png=form.logo_png, remove_logo=form.remove_logo.data)
    flash(_("Saved %(name)s.", name=group.name), "success")
    return redirect(url_for(".edit", slug=group.slug), 303)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = NewOrganisationForm()
    if form.validate_on_submit():
        return _saved(form, Group(slug=form.slug.data, name=form.name.data))
    return render_template("organisations/edit.html", form=form, group=None), (
        400 if form.is_submitted() else 200)


@bp.route("/<slug>", methods=["GET", "POST"])
@coordinator_required
def edit(slug: str):
    group = organisation_for(current_user, slug)
    form = OrganisationForm(obj=group)
    if form.validate_on_submit():
        return _saved(form, group)
    return render_template("organisations/edit.html", form=form, group=group), (
        400 if form.is_submitted() else 200)


@bp.get("/<slug>/logo.png")
@coordinator_required
def logo(slug: str):
    """The stored logo (already a clean PNG), for the edit page's preview."""
    group = organisation_for(current_user, slug)
    if not group.logo_png:
        abort(404)
    return Response(group.logo_png, mimetype="image/png",
                    headers={"Content-Disposition": "inline; filename=logo.png"})
