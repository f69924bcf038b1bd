"""The read-only API (docs/api.md): OSDI petitions and signatures as HAL+JSON."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, g, jsonify, request

from app.api import osdi, service
from app.api import resources as res
from app.api.keys import group_of_key
from app.api.links import api_url, petition_url, statement_url
from app.extensions import limiter
from app.net import client_key
from app.partners.service import partners_by_appeal, partners_of

bp = Blueprint("api", __name__, url_prefix="/api/v1")
HAL = "application/hal+json"


def _presented_key() -> str | None:
    """The key from `OSDI-API-Token` (OSDI's header) or `Authorization: Bearer`."""
    key = request.headers.get("OSDI-API-Token")
    auth = request.headers.get("Authorization", "")
    if key is None and auth.lower().startswith("bearer "):
        key = auth[7:]
    return key.strip() if key is not None else None


def _rate_key() -> str:
    key = _presented_key()
    return "apikey:" + hashlib.sha256(key.encode()).hexdigest()[:24] if key else client_key()


limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=_rate_key)(bp)


@bp.before_request
def _identify_caller():
    """No key: the public view. A key that is unknown or revoked: 401, never the public view."""
    key = _presented_key()
    g.api_group_id = None
    if key is not None:
        g.api_group_id = group_of_key(key)
        if g.api_group_id is None:
            return _error(401, "The API key is unknown or revoked.")
    return None


def _error(status: int, message: str):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


API_ERRORS = {404: "There is no resource at this address.",
              405: "This address does not take that kind of request.",
              429: "Too many requests: please wait a minute."}


def is_api_path(path: str) -> bool:
    """True for an address under /api/v1, whether or not a route matches it."""
    return path == bp.url_prefix or path.startswith(f"{bp.url_prefix}/")


def api_error(status: int):
    """The JSON answer of an API error. The app's error pages call it for /api/v1 addresses
    too: an address no route matches never reaches this blueprint's own handlers."""
    return _error(status, API_ERRORS[status])


@bp.errorhandler(404)
def _not_found(_error_):
    return api_error(404)


@bp.errorhandler(429)
def _too_many(_error_):
    return api_error(429)


def _hal(model: osdi.Shape):
    response = jsonify(osdi.dump(model))
    response.mimetype = HAL
    response.headers["Cache-Control"] = "no-store" if g.api_group_id else "public, max-age=30"
    response.headers["Vary"] = "OSDI-API-Token, Authorization"
    return response


def _paging() -> tuple[int, int]:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    per_page = request.args.get("per_page", 25, type=int) or 25
    return page, min(max(per_page, 1), service.MAX_PER_PAGE)


def _collection(kind: str, page: service.Page, url: str, resources: list) -> osdi.Collection:
    def at(number: int) -> osdi.Link:
        return osdi.Link(href=f"{url}?page={number}&per_page={page.per_page}")

    links = osdi.CollectionLinks(
        self=at(page.page), curies=res.CURIES,
        next=at(page.page + 1) if page.page < page.pages else None,
        prev=at(page.page - 1) if page.page > 1 else None,
        **{kind: [r.links.self for r in resources]})
    return osdi.Collection(total_pages=page.pages, per_page=page.per_page, page=page.page,
                           total_records=page.total, links=links,
                           embedded=osdi.CollectionEmbedded(**{kind: resources}))


@bp.get("")
def entry_point():
    links = osdi.EntryLinks(self=osdi.Link(href=api_url()),
                            petitions=osdi.Link(href=api_url("/petitions")),
                            statements=osdi.Link(href=api_url("/statements")), curies=res.CURIES)
    return _hal(osdi.EntryPoint(motd="Appeal Desk read-only API (docs/api.md)", links=links))


@bp.get("/petitions")
def petitions():
    page = service.appeals_page(*_paging())
    coalitions = partners_by_appeal([a.id for a in page.items])
    items = [res.appeal_petition(a, coalitions[a.id]) for a in page.items]
    return _hal(_collection("petitions", page, api_url("/petitions"), items))


@bp.get("/petitions/<slug>")
def petition(slug: str):
    appeal = service.public_appeal(slug) or abort(404)
    return _hal(res.appeal_petition(appeal, partners_of(appeal.id)))


@bp.get("/petitions/<slug>/signatures")
def petition_signatures(slug: str):
    appeal = service.public_appeal(slug) or abort(404)
    owner = service.owns(g.api_group_id, appeal.group_id)
    page = service.signatures_page(appeal, owner, *_paging())
    build = res.owner_signature if owner else res.public_signature
    items = [build(slug, s) for s in page.items]
    return _hal(_collection("signatures", page, petition_url(slug) + "/signatures", items))


@bp.get("/petitions/<slug>/signatures/<int:signature_id>")
def petition_signature(slug: str, signature_id: int):
    appeal = service.public_appeal(slug) or abort(404)
    owner = service.owns(g.api_group_id, appeal.group_id)
    signature = service.one_signature(appeal, signature_id, owner) or abort(404)
    return _hal((res.owner_signature if owner else res.public_signature)(slug, signature))


@bp.get("/statements")
def statements():
    page = service.statements_page(*_paging())
    items = [res.statement_petition(s, service.statement_total(s)) for s in page.items]
    return _hal(_collection("petitions", page, api_url("/statements"), items))


@bp.get("/statements/<slug>")
def statement(slug: str):
    found = service.public_statement(slug) or abort(404)
    return _hal(res.statement_petition(found, service.statement_total(found)))


@bp.get("/statements/<slug>/signatures")
def statement_signatures(slug: str):
    found = service.public_statement(slug) or abort(404)
    owner = service.owns(g.api_group_id, found.appeal.group_id)
    listed, people, orgs = service.statement_signers(found, owner)
    items = ([res.undersigned_signature(slug, n, e) for n, e in enumerate(listed, 1)]
             + [res.org_signature(slug, o) for o in orgs]
             + [res.cosigner_signature(slug, c, owner=owner) for c in people])
    page = service.sliced(items, *_paging())
    return _hal(_collection("signatures", page, statement_url(slug) + "/signatures", page.items))
