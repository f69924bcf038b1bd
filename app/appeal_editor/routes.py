"""Coordinators write appeals in the browser: create, edit, preview (page and letters), publish."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.appeal_editor import lists, previews, service
from app.appeal_editor.forms import AppealEditorForm, PublishForm
from app.appeals.rendering import render_markdown
from app.appeals.translations import incomplete_languages
from app.auth.access import appeal_for, coordinator_required
from app.models.enums import AppealState

bp = Blueprint("appeal_editor", __name__, url_prefix="/coordinator/appeals")


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def new():
    if not service.allowed_groups(current_user) and current_user.role != "admin":
        abort(403)  # a coordinator without a group could never see what they wrote
    return _edit(None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(slug: str):
    return _edit(appeal_for(current_user, slug))


def _edit(appeal):  # noqa: ANN001, ANN202
    if request.method == "GET":
        return _page(lists.Step(lists.first_form(current_user, appeal)), appeal)
    done = lists.step(AppealEditorForm(), current_user, request.form.get("action"),
                      request.form.getlist("pick"))
    if done.action != "save":
        return _page(done, appeal)
    valid = done.form.validate_on_submit()
    saved = service.save(done.form, appeal, current_user, valid=valid)
    if saved is None:
        return _page(done, appeal, 400)
    flash(_("Saved."), "success")
    return redirect(url_for(".edit", slug=saved.slug), 303)


def _page(done: lists.Step, appeal, status: int = 200):  # noqa: ANN001, ANN202
    body_html = render_markdown(done.form.body.data) if done.action == "body-preview" else None
    return render_template("appeal_editor/edit.html", form=done.form, appeal=appeal, found=done.found,
                           body_html=body_html, publish_form=PublishForm()), status


@bp.get("/<slug>/preview")
@coordinator_required
def preview(slug: str):
    appeal = appeal_for(current_user, slug)
    return render_template("appeal_editor/preview.html", publish_form=PublishForm(),
                           **previews.page_context(appeal))


@bp.get("/<slug>/preview/letters")
@coordinator_required
def letters(slug: str):
    appeal = appeal_for(current_user, slug)
    return render_template("appeal_editor/letters.html", appeal=appeal, publish_form=PublishForm(),
                           letters=previews.letter_list(appeal),
                           incomplete=incomplete_languages(appeal))


@bp.get("/<slug>/preview/letters/<post_slug>.pdf")
@coordinator_required
def letter_pdf(slug: str, post_slug: str):
    appeal = appeal_for(current_user, slug)
    pdf = previews.letter_pdf(appeal, post_slug, request.args.get("language") or None)
    if pdf is None:
        abort(404)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{appeal.slug}-{post_slug}-preview.pdf"',
        "Cache-Control": "private, no-store"})


@bp.post("/<slug>/publish")
@coordinator_required
def publish(slug: str):
    appeal = appeal_for(current_user, slug)
    if PublishForm().validate_on_submit() and appeal.state == AppealState.DRAFT:
        service.publish(appeal)
        flash(_("The appeal is published: its page is open for signatures."), "success")
    return redirect(url_for("coordinator.appeal_detail", slug=appeal.slug), 303)
