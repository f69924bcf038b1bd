"""The supporter's own letters (pick an official, send from your own mailbox, on paper or by web
form) and the unsubscribe page of case updates. Anonymous URLs."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _

from app.appeals.queries import public_appeal
from app.delivery.channels import channels_for, printable, signer_from_token
from app.delivery.forms import ButtonForm
from app.delivery.letters import supporter_letter_pdf
from app.delivery.timeline import unsubscribe
from app.directory.routing import appeal_recipients, recipient_post
from app.extensions import csrf, limiter
from app.logging_setup import carries_secret
from app.models import Appeal
from app.tokens import TokenError

public_bp = Blueprint("channels", __name__)



def _public(slug: str) -> Appeal:
    appeal = public_appeal(slug) if len(slug) <= 80 else None
    if appeal is None:
        abort(404)
    return appeal


@public_bp.get("/a/<slug>/write")
@carries_secret
def write(slug: str):
    """Pick an official, then send the letter from your own mailbox, on paper or by web form."""
    appeal = _public(slug)
    token = request.args.get("s") or None
    signer = signer_from_token(token, appeal)
    posts = [link.post for link in appeal_recipients(appeal)]
    chosen = None
    if appeal.letters_allowed:
        post = recipient_post(appeal, request.args.get("to", type=int))
        post = post or (posts[0] if len(posts) == 1 else None)
        if post is not None:
            full_text = current_app.config["BASE_URL"] + url_for(".write", slug=slug, to=post.id)
            chosen = channels_for(appeal, post, signer=signer, full_text_url=full_text)
    response = make_response(render_template(
        "delivery/write.html", appeal=appeal, posts=posts, chosen=chosen, signer=signer,
        token=token if signer else None))
    if signer is not None:  # the page carries the signer's name
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _pdf_limit() -> str:
    return current_app.config.get("RATELIMIT_LETTER_PDF", "30 per minute")


@public_bp.get("/a/<slug>/write/<int:post_id>/letter.pdf")
@carries_secret
@limiter.limit(_pdf_limit)
def letter_pdf(slug: str, post_id: int):
    """The supporter's letter as a PDF: generic, or the confirmed signer's own."""
    appeal = _public(slug)
    post = recipient_post(appeal, post_id)
    if post is None:
        abort(404)
    if not appeal.letters_allowed:
        return render_template("errors.html", title=_("Writing is paused"),
                               message=_("No letters are offered for this appeal now.")), 409
    if not printable(post):  # a web-form-only office gets no letter to print and post
        abort(404)
    signer = signer_from_token(request.args.get("s"), appeal)
    pdf = supporter_letter_pdf(appeal, post, signer)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="letter-{appeal.slug}-{post.slug}.pdf"')
    response.headers["Cache-Control"] = "private, no-store" if signer else "public, max-age=600"
    return response


@public_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@carries_secret
def unsubscribe_page(token: str):
    """Stop update e-mails. A GET only shows the button (mail scanners follow links); a POST
    unsubscribes at once, without a CSRF token: RFC 8058's one-click POST comes from the mail
    client with no session, and the secret token in the URL is the proof, not a cookie."""
    if request.method == "GET":
        return render_template("delivery/unsubscribe.html", form=ButtonForm(), token=token)
    try:
        signature = unsubscribe(token)
    except TokenError as error:
        return render_template("delivery/unsubscribed.html", failed=error.reason), 410
    return render_template("delivery/unsubscribed.html", failed=None, appeal=signature.appeal)
