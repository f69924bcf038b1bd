"""The signer's private page, the coordinator's organisation key page, and an appeal's
high-risk mode and duplicate removal (docs/threat-model.md)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import appeal_for, coordinator_required
from app.i18n import LANG_PARAM
from app.languages import LANGUAGES
from app.logging_setup import carries_secret
from app.sealing.forms import CreateKeyForm, DeleteOwnForm
from app.sealing.keys import KeyExistsError, create_group_key, key_file_name
from app.signer_privacy.duplicates import remove_duplicates, set_high_risk
from app.signer_privacy.forms import DedupeForm, HighRiskForm, high_risk_forms
from app.signer_privacy.own import delete_own_record, own_record, way_back

bp = Blueprint("signer_privacy", __name__)
bp.add_app_template_global(high_risk_forms, "high_risk_forms")
NO_STORE = {"Cache-Control": "no-store"}


def _same_path_language_links() -> list[tuple[str, str, str]]:
    # Relative to the page itself: the bytes of a page never repeat the secret in its path.
    return [(code, name, f"?{LANG_PARAM}={code}") for code, name in LANGUAGES.items()]


def _unknown_link() -> tuple[str, int, dict]:
    # The same bytes for a forged, wrong, deleted or used-up link: nothing to probe.
    return render_template("signer_privacy/own_unknown.html",
                           language_links=_same_path_language_links()), 404, NO_STORE


@bp.get("/my/<secret>")
@carries_secret
def own_page(secret: str):
    record = own_record(secret)
    if record is None:
        return _unknown_link()
    return (render_template("signer_privacy/own.html", record=record, form=DeleteOwnForm(),
                            way=way_back(record), language_links=_same_path_language_links()),
            200, NO_STORE)


@bp.post("/my/<secret>")
@carries_secret
def own_delete(secret: str):
    form = DeleteOwnForm()
    if not form.validate_on_submit():
        record = own_record(secret)
        if record is None:
            return _unknown_link()
        return render_template("signer_privacy/own.html", record=record, form=form,
                               way=way_back(record)), 400, NO_STORE
    if not delete_own_record(secret):
        return _unknown_link()
    return render_template("signer_privacy/own_deleted.html")


@bp.get("/coordinator/key")
@coordinator_required
def key_page():
    if current_user.group is None:
        abort(404)
    return render_template("signer_privacy/key.html", group=current_user.group, form=CreateKeyForm())


@bp.post("/coordinator/key")
@coordinator_required
def create_key():
    group, form = current_user.group, CreateKeyForm()
    if group is None:
        abort(404)
    if not form.validate_on_submit():
        return render_template("signer_privacy/key.html", group=group, form=form), 400
    try:
        text = create_group_key(group)
    except KeyExistsError:
        flash(_("Your organisation already has a key. Replacing it would make every sealed "
                "signer detail unreadable: ask an administrator."), "error")
        return redirect(url_for(".key_page"), 303)
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{key_file_name(group)}"',
        "Cache-Control": "no-store"})


def _high_risk_page(appeal, high_risk_form: HighRiskForm, dedupe_form: DedupeForm,  # noqa: ANN001
                    status: int = 200):
    return render_template("signer_privacy/high_risk.html", appeal=appeal,
                           high_risk_form=high_risk_form, dedupe_form=dedupe_form), status


@bp.get("/coordinator/appeals/<slug>/high-risk")
@coordinator_required
def high_risk_page(slug: str):
    appeal = appeal_for(current_user, slug)
    return _high_risk_page(appeal, *high_risk_forms(appeal))


@bp.post("/coordinator/appeals/<slug>/high-risk")
@coordinator_required
def high_risk_switch(slug: str):
    appeal = appeal_for(current_user, slug)
    form = HighRiskForm(appeal=appeal)
    if not form.validate_on_submit():
        return _high_risk_page(appeal, form, DedupeForm(formdata=None), 400)
    set_high_risk(appeal, form.high_risk.data)
    flash(_("High-risk mode is on: no e-mail hash is kept for this appeal.") if appeal.high_risk
          else _("High-risk mode is off: new signatures keep an e-mail hash again."), "success")
    return redirect(url_for(".high_risk_page", slug=slug), 303)


@bp.post("/coordinator/appeals/<slug>/duplicates")
@coordinator_required
def remove_duplicates_action(slug: str):
    appeal = appeal_for(current_user, slug)
    form = DedupeForm()
    private_key = form.private_key(appeal.group) if form.validate_on_submit() else None
    if private_key is None:
        return _high_risk_page(appeal, HighRiskForm(formdata=None, appeal=appeal,
                                                    high_risk=appeal.high_risk), form, 400)
    removed = remove_duplicates(appeal, private_key)
    flash(ngettext("%(num)d duplicate signature removed.", "%(num)d duplicate signatures removed.",
                   removed), "success")
    # "#top" opens the page at its top (HTML's rule for that fragment), where the result is said:
    # without a fragment the browser keeps the form's #dedupe and scrolls the message out of view.
    return redirect(url_for(".high_risk_page", slug=slug, _anchor="top"), 303)
