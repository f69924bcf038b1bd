"""Coordinator downloads of letters and print batches, and the letter template editor."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.appeals.translations import incomplete_languages, is_available
from app.auth.access import appeal_for, coordinator_required, office_required
from app.directory.routing import CHANNEL_WORDS
from app.languages import LANGUAGES, is_supported
from app.letters import editor, requests
from app.letters.address import AddressDoesNotFit
from app.letters.forms import LetterTemplateForm, RequestTemplatesForm
from app.letters.overview import letters_overview
from app.letters.preview import PreviewError, letter_preview
from app.letters.printing import print_batch
from app.letters.render import LetterRenderError
from app.letters.service import (
    LettersNotAllowed,
    appeal_posts,
    letter_unit,
    recipient_letter_pdf,
)
from app.models import Post
from app.template_sandbox.environment import LetterTemplateError

bp = Blueprint("letters", __name__, url_prefix="/coordinator/letters", template_folder="templates")


def _refused(appeal, message: str, status: int = 409):  # noqa: ANN001
    return render_template("letters/refused.html", appeal=appeal, message=message), status


def _language() -> str | None:
    value = request.args.get("language") or None
    if value is not None and not is_supported(value):
        abort(400)
    return value


def _on() -> date | None:
    value = request.args.get("on")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400)


@bp.get("/<slug>/")
@office_required
def index(slug: str):
    appeal = appeal_for(current_user, slug)
    return render_template("letters/index.html", appeal=appeal, channel_words=CHANNEL_WORDS,
                           overview=letters_overview(appeal, _on()))


def _recipient_post(appeal, post_slug: str) -> Post:  # noqa: ANN001
    post = next((p for p, _role in appeal_posts(appeal) if p.slug == post_slug), None)
    if post is None:
        abort(404)
    return post


@bp.get("/<slug>/to/<post_slug>.png")
@office_required
def recipient_preview(slug: str, post_slug: str):
    appeal = appeal_for(current_user, slug)
    post = _recipient_post(appeal, post_slug)
    try:
        unit = letter_unit(appeal, post, on=_on(), language=_language())
        png = letter_preview(unit, Path(current_app.config["INSTANCE_DIR"]) / "letter-previews")
    except LettersNotAllowed as error:
        return _refused(appeal, str(error))
    except (LetterTemplateError, LetterRenderError, PreviewError) as error:
        return _refused(appeal, _("No preview: %(reason)s", reason=error), 422)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, no-store"})


@bp.get("/<slug>/to/<post_slug>.pdf")
@office_required
def recipient_pdf(slug: str, post_slug: str):
    appeal = appeal_for(current_user, slug)
    post = _recipient_post(appeal, post_slug)
    try:
        pdf = recipient_letter_pdf(appeal, post, on=_on(), language=_language())
    except LettersNotAllowed as error:
        return _refused(appeal, str(error))
    except (LetterTemplateError, LetterRenderError) as error:
        return _refused(appeal, _("The letter template has an error: %(error)s", error=error), 422)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{appeal.slug}-{post.slug}.pdf"',
        "Cache-Control": "no-store"})


BATCH_FILES = {"pdf": ("letters.pdf", "application/pdf"), "zip": ("letters.zip", "application/zip"),
               "csv": ("letters-labels.csv", "text/csv")}


@bp.get("/<slug>/batch.<kind>")
@office_required
def batch(slug: str, kind: str):
    appeal = appeal_for(current_user, slug)
    if kind not in BATCH_FILES:
        abort(404)
    suffix, mimetype = BATCH_FILES[kind]
    with tempfile.TemporaryDirectory(prefix="letters-") as directory:
        try:
            print_batch(appeal, directory, on=_on(), language=_language())
        except LettersNotAllowed as error:
            return _refused(appeal, str(error))
        except AddressDoesNotFit as error:
            return _refused(appeal, str(error), 422)
        except (LetterTemplateError, LetterRenderError) as error:
            return _refused(appeal, _("The letter template has an error: %(error)s", error=error), 422)
        data = (Path(directory) / f"{appeal.slug}-{suffix}").read_bytes()
    return send_file(_bytes(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"{appeal.slug}-{suffix}", max_age=0)


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


@bp.route("/<slug>/template", methods=["GET", "POST"])
@coordinator_required
def template_editor(slug: str):
    appeal = appeal_for(current_user, slug)
    form = LetterTemplateForm(obj=None if request.method == "POST" else editor.form_data(appeal))
    outcome = editor.Outcome()
    if form.validate_on_submit():
        outcome = editor.check(appeal, form.body.data, form.language.data, form.subject.data)
        if form.save.data and outcome.error is None:
            editor.save(appeal, form.body.data, form.language.data, form.subject.data)
            outcome.saved = True
    status = 400 if (request.method == "POST" and (form.errors or outcome.error)) else 200
    return render_template("letters/editor.html", appeal=appeal, form=form, outcome=outcome), status


@bp.route("/<slug>/requests/<language>", methods=["GET", "POST"])
@coordinator_required
def request_editor(slug: str, language: str):
    appeal = appeal_for(current_user, slug)
    if not is_supported(language):
        abort(404)
    form = RequestTemplatesForm(data=None if request.method == "POST"
                                else requests.current_sources(appeal, language))
    outcome = requests.RequestsOutcome()
    if form.validate_on_submit():
        sources = {"authority": form.authority.data, "third_party": form.third_party.data}
        outcome = requests.check(appeal, language, sources)
        if form.save.data and not outcome.errors:
            requests.save(appeal, language, sources)
            outcome.saved = True
    status = 400 if (request.method == "POST" and (form.errors or outcome.errors)) else 200
    return render_template("letters/requests.html", appeal=appeal, form=form, outcome=outcome,
                           language=language, languages=LANGUAGES,
                           available=is_available(appeal, language),
                           missing=incomplete_languages(appeal).get(language)), status
