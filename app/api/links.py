"""Absolute addresses of API resources, from BASE_URL (usable outside a request: webhooks)."""

from __future__ import annotations

from flask import current_app

PREFIX = "/api/v1"


def api_url(path: str = "") -> str:
    return f"{current_app.config['BASE_URL']}{PREFIX}{path}"


def site_url(path: str) -> str:
    return f"{current_app.config['BASE_URL']}{path}"


def petition_url(slug: str) -> str:
    return api_url(f"/petitions/{slug}")


def signature_url(slug: str, signature_id: int) -> str:
    return api_url(f"/petitions/{slug}/signatures/{signature_id}")


def statement_url(slug: str) -> str:
    return api_url(f"/statements/{slug}")
