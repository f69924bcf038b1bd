"""The coordinator's page for API keys and webhook endpoints of their organisation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.forms import DisableEndpointForm, NewEndpointForm, NewKeyForm, RevokeKeyForm
from app.api.keys import create_key, keys_of, revoke_key
from app.auth.access import coordinator_required
from app.webhooks.service import EndpointError, add_endpoint, disable_endpoint, endpoints_of

bp = Blueprint("integrations", __name__, url_prefix="/coordinator/integrations")


def _render(status: int = 200, **shown):  # noqa: ANN003
    group_id = current_user.group_id
    return render_template(
        "api/integrations.html", has_group=group_id is not None,
        keys=keys_of(group_id) if group_id else [],
        endpoints=endpoints_of(group_id) if group_id else [],
        # A blank form after success: the sent values are not kept for the next key or endpoint.
        key_form=shown.pop("key_form", None) or NewKeyForm(formdata=None),
        endpoint_form=shown.pop("endpoint_form", None) or NewEndpointForm(formdata=None),
        revoke_form=RevokeKeyForm(),
        disable_form=DisableEndpointForm(), **shown,
    ), status


def _group_id() -> int:
    if current_user.group_id is None:
        abort(403)  # keys and endpoints belong to an organisation
    return current_user.group_id


@bp.get("/")
@coordinator_required
def index():
    return _render()


@bp.post("/keys")
@coordinator_required
def new_key():
    group_id, form = _group_id(), NewKeyForm()
    if not form.validate_on_submit():
        return _render(400, key_form=form)
    raw, _key = create_key(group_id, form.label.data, current_user.id)
    # Shown once, in this answer only (no-store): only its digest is kept.
    return _render(new_key_secret=raw)


@bp.post("/keys/revoke")
@coordinator_required
def revoke():
    group_id, form = _group_id(), RevokeKeyForm()
    if not form.validate_on_submit() or not revoke_key(group_id, form.key_id.data):
        abort(404)
    flash(_("The key is revoked: it is refused from now on."), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/webhooks")
@coordinator_required
def new_endpoint():
    group_id, form = _group_id(), NewEndpointForm()
    if not form.validate_on_submit():
        return _render(400, endpoint_form=form)
    try:
        secret, _endpoint = add_endpoint(group_id, form.url.data)
    except EndpointError as error:
        form.url.errors.append(str(error))
        return _render(400, endpoint_form=form)
    return _render(new_endpoint_secret=secret)


@bp.post("/webhooks/disable")
@coordinator_required
def disable():
    group_id, form = _group_id(), DisableEndpointForm()
    if not form.validate_on_submit() or not disable_endpoint(group_id, form.endpoint_id.data):
        abort(404)
    flash(_("The endpoint is disabled."), "success")
    return redirect(url_for(".index"), 303)
