"""Coordinator UI for the recipient directory: browse, search, post pages, edits with a change log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import coordinator_required
from app.directory import service
from app.directory.contacts import CONTACT_TYPE_WORDS, INTERNATIONAL, display_value, format_phone
from app.directory.forms import ConfirmForm, ContactForm, EndHolderForm, HolderForm, PostForm, SearchForm
from app.directory.resolve import describe_flag, flag_label, is_stale, resolve
from app.directory.translations import post_translations
from app.extensions import db
from app.models import ContactDetail, Membership

bp = Blueprint("directory", __name__, url_prefix="/coordinator/directory")


@bp.app_template_filter("phone")
def _phone_filter(value: str) -> str:
    return format_phone(value)


@bp.get("/")
@coordinator_required
def index():
    form = SearchForm(request.args)
    countries, kinds = service.facet_values()
    form.country.choices = [SelectChoice("", _l("Any country")), *[SelectChoice(c, c) for c in countries]]
    form.kind.choices = [SelectChoice("", _l("Any kind")), *[SelectChoice(k, k) for k in kinds]]
    posts = service.search_posts(form.q.data, form.country.data or None, form.kind.data or None) \
        if form.validate() else []
    return render_template("directory/index.html", form=form, flag_label=flag_label,
                           rows=[(post, resolve(post)) for post in posts])


def _post_or_404(slug: str):
    post = service.post_by_slug(slug)
    if post is None:
        abort(404)
    return post


def _render_post(post, *, holder_form=None, end_forms=None, status=200):  # noqa: ANN001
    stale_months = current_app.config["DIRECTORY_STALE_MONTHS"]
    resolution = resolve(post)
    contacts = [(c, service.contact_owner(post, c), display_value(c),
                 is_stale(c, resolution.on, stale_months)) for c in resolution.contacts]
    end_forms = end_forms or {}
    for membership in post.memberships:
        if membership.id not in end_forms and membership.end_date is None:
            end_forms[membership.id] = EndHolderForm(prefix=f"end{membership.id}")
    return render_template(
        "directory/post.html", post=post, resolution=resolution, contacts=contacts,
        warnings=[describe_flag(resolution, f, stale_months) for f in resolution.flags],
        memberships=sorted(post.memberships, key=lambda m: (m.start_date is not None, m.start_date)),
        holder_form=holder_form or HolderForm(post=post, prefix="holder"), end_forms=end_forms,
        delete_form=ConfirmForm(), appeals=service.appeals_addressing(post, current_user),
        changes=service.changes_for(post), stale_months=stale_months,
        translations=post_translations(post, resolution.holder),
    ), status


@bp.get("/posts/<slug>")
@coordinator_required
def post_detail(slug: str):
    return _render_post(_post_or_404(slug))


@bp.route("/posts/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_post(slug: str):
    post = _post_or_404(slug)
    form = PostForm(obj=post)
    if form.validate_on_submit():
        changed = service.update_post(post, form.data, current_user)
        flash(_("Saved (%(fields)s).", fields=", ".join(changed)) if changed else _("Nothing changed."),
              "success")
        return redirect(url_for(".post_detail", slug=slug), 303)
    return render_template("directory/post_edit.html", post=post, form=form), \
        400 if request.method == "POST" else 200


@bp.post("/posts/<slug>/holders")
@coordinator_required
def add_holder(slug: str):
    post = _post_or_404(slug)
    form = HolderForm(post=post, prefix="holder")
    if not form.validate_on_submit():
        return _render_post(post, holder_form=form, status=400)
    service.add_holder(post, name=form.name.data, honorific=form.honorific_prefix.data,
                       start=form.start_date.data, end=form.end_date.data, source=form.source.data,
                       user=current_user)
    flash(_("%(name)s added as a holder.", name=form.name.data), "success")
    return redirect(url_for(".post_detail", slug=slug), 303)


@bp.post("/posts/<slug>/holders/<int:membership_id>/end")
@coordinator_required
def end_holder(slug: str, membership_id: int):
    post = _post_or_404(slug)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.post_id != post.id:
        abort(404)
    form = EndHolderForm(prefix=f"end{membership.id}", membership=membership)
    if not form.validate_on_submit():
        return _render_post(post, end_forms={membership.id: form}, status=400)
    service.end_holder(post, membership, form.end_date.data, current_user)
    flash(_("The term of %(name)s ended on %(date)s.", name=membership.person.name,
            date=format_date(form.end_date.data)), "success")
    return redirect(url_for(".post_detail", slug=slug), 303)


def _region(post) -> str | None:  # noqa: ANN001
    country = post.organization.country
    return None if country == INTERNATIONAL else country


@bp.route("/posts/<slug>/contacts/new", methods=["GET", "POST"])
@coordinator_required
def new_contact(slug: str):
    post = _post_or_404(slug)
    form = ContactForm(region=_region(post))
    if request.method == "GET" and _region(post):
        form.country_code.data = _region(post)
    if form.validate_on_submit():
        service.save_contact(post, None, form.values(), current_user)
        flash(_("Contact detail added."), "success")
        return redirect(url_for(".post_detail", slug=slug), 303)
    return render_template("directory/contact_form.html", post=post, form=form, contact=None), \
        400 if request.method == "POST" else 200


def _contact_of(post, contact_id: int) -> ContactDetail:  # noqa: ANN001
    contact = db.session.get(ContactDetail, contact_id)
    if contact is None or service.contact_owner(post, contact) is None:
        abort(404)
    return contact


@bp.route("/posts/<slug>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_contact(slug: str, contact_id: int):
    post = _post_or_404(slug)
    contact = _contact_of(post, contact_id)
    form = ContactForm(region=_region(post))
    if request.method == "GET":
        form.fill_from(contact)
    elif form.validate_on_submit():
        service.save_contact(post, contact, form.values(), current_user)
        flash(_("Contact detail saved."), "success")
        return redirect(url_for(".post_detail", slug=slug), 303)
    return render_template("directory/contact_form.html", post=post, form=form, contact=contact,
                           owner=service.contact_owner(post, contact)), \
        400 if request.method == "POST" else 200


@bp.post("/posts/<slug>/contacts/<int:contact_id>/delete")
@coordinator_required
def delete_contact(slug: str, contact_id: int):
    post = _post_or_404(slug)
    contact = _contact_of(post, contact_id)
    if ConfirmForm().validate_on_submit():
        service.delete_contact(post, contact, current_user)
        flash(_("Contact detail removed."), "success")
    return redirect(url_for(".post_detail", slug=slug), 303)


@bp.get("/appeals/<slug>/warnings")
@coordinator_required
def appeal_warnings_page(slug: str):
    """Every directory warning for the posts an appeal writes to: check these before sending."""
    from app.auth.access import appeal_for
    from app.directory.routing import appeal_warnings

    appeal = appeal_for(current_user, slug)
    return render_template("directory/appeal_warnings.html", appeal=appeal,
                           rows=[(r, resolve(r.post)) for r in appeal.recipients],
                           warnings=appeal_warnings(appeal), contact_words=CONTACT_TYPE_WORDS)


@bp.post("/posts/<slug>/contacts/<int:contact_id>/verified")
@coordinator_required
def verify_contact(slug: str, contact_id: int):
    """The coordinator checked this detail today (by phone, on the official site…)."""
    from datetime import date

    post = _post_or_404(slug)
    contact = _contact_of(post, contact_id)
    if ConfirmForm().validate_on_submit():
        service.mark_verified(post, contact, date.today(), current_user)
        flash(_("Marked as verified today."), "success")
    return redirect(url_for(".post_detail", slug=slug) + "#contacts", 303)
