"""The request to each kind of recipient, editable by the coordinator per letter language.

A letter leads with what it asks of its recipient (`{{ request }}` in the body). An authority
of the case is asked for the demands addressed to it (or, without any, to use its powers); a
third party (an international body, a foreign government) is asked to raise the case. Each
is a sandboxed template, bundled in letter_templates/requests/<language>/<role>.html, that the
coordinator can replace per appeal and language (Appeal.letter_requests). Saving checks both
against a real recipient of the appeal, as the letter editor does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import nh3
from markupsafe import Markup
from sqlalchemy.orm.attributes import flag_modified

from app.appeals.rendering import ALLOWED_ATTRIBUTES
from app.extensions import db
from app.letters.editor import PREVIEW_TAGS
from app.letters.render import LetterRenderError, letter_document, render_request, write_pdf
from app.letters.service import (
    LanguageNotAvailable,
    LettersNotAllowed,
    appeal_posts,
    is_authority,
    letter_unit,
)
from app.letters.views import LetterUnit
from app.models import Appeal
from app.template_sandbox.environment import TEMPLATE_ROOT, LetterTemplateError
from app.template_sandbox.process import check_compiles

ROLES = ("authority", "third_party")


@dataclass
class RequestsOutcome:
    errors: dict[str, LetterTemplateError] = field(default_factory=dict)
    previews: dict[str, Markup] = field(default_factory=dict)
    saved: bool = False


def bundled(language: str, role: str) -> str:
    """The bundled request template of `role` in `language` (English when there is none)."""
    path = TEMPLATE_ROOT / "requests" / language / f"{role}.html"
    if not path.exists():
        path = TEMPLATE_ROOT / "requests" / "en" / f"{role}.html"
    return path.read_text("utf-8")


def current_sources(appeal: Appeal, language: str) -> dict[str, str]:
    """What the page shows first: the coordinator's request per role, else the bundled one."""
    stored = (appeal.letter_requests or {}).get(language) or {}
    return {role: stored.get(role) or bundled(language, role) for role in ROLES}


def _sample_unit(appeal: Appeal, language: str, role: str, source: str) -> LetterUnit | None:
    """A letter to a real recipient of the appeal in `role` (else to its first one, asked as one
    in `role`), with `source` as its request; None when the appeal has no recipient."""
    posts = [post for post, _role in appeal_posts(appeal)]
    if not posts:
        return None
    wanted = role == "authority"
    post = next((p for p in posts if is_authority(appeal, p) == wanted), posts[0])
    try:
        unit = letter_unit(appeal, post, language=language, with_annex=False)
    except LanguageNotAvailable:  # checked with the appeal's own text until it is translated
        unit = dataclasses.replace(letter_unit(appeal, post, with_annex=False), language=language)
    return dataclasses.replace(unit, extra={**unit.extra, "authority": wanted},
                               request_source=source or None)


def check(appeal: Appeal, language: str, sources: dict[str, str]) -> RequestsOutcome:
    """Render each role's request for a sample recipient and lay its letter out; never raises."""
    outcome = RequestsOutcome()
    for role in ROLES:
        try:
            unit = _sample_unit(appeal, language, role, (sources.get(role) or "").strip())
            if unit is None:
                continue
            html = str(render_request(unit))
            write_pdf(letter_document(unit))
        except LetterTemplateError as error:
            outcome.errors[role] = error
            continue
        except LetterRenderError as error:
            outcome.errors[role] = LetterTemplateError(str(error))
            continue
        except LettersNotAllowed:  # draft or paused: nothing to render, but it must compile
            _compile_only(sources.get(role) or "", role, outcome)
            continue
        outcome.previews[role] = Markup(nh3.clean(html, tags=PREVIEW_TAGS,
                                                  attributes=ALLOWED_ATTRIBUTES,
                                                  url_schemes={"http", "https", "mailto"}))
    return outcome


def _compile_only(source: str, role: str, outcome: RequestsOutcome) -> None:
    if source.strip():
        try:
            check_compiles(source.strip())
        except LetterTemplateError as error:
            outcome.errors[role] = error


def save(appeal: Appeal, language: str, sources: dict[str, str]) -> None:
    """Store the requests of `language`; an empty one, or the bundled text unchanged, goes back
    to the bundled request (so later improvements of it still reach this appeal). Commits."""
    own = {}
    for role in ROLES:
        source = (sources.get(role) or "").strip()
        if source and source != bundled(language, role).strip():
            own[role] = source
    stored = dict(appeal.letter_requests or {})
    if own:
        stored[language] = own
    else:
        stored.pop(language, None)
    appeal.letter_requests = stored or None
    flag_modified(appeal, "letter_requests")
    db.session.commit()
