"""Fixtures for abuse and hardening tests: limits switched on, an app behind a trusted proxy."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import TestConfig


@pytest.fixture
def limits_on(app):
    """Rate limits on for one test (the suite runs with them off), with small windows."""
    saved = {k: app.config.get(k) for k in ("RATELIMIT_ENABLED", "RATELIMIT_SIGN")}
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_SIGN="2 per minute")
    yield app.config
    app.config.update(saved)


@pytest.fixture(scope="session")
def proxied_app(app):
    """The same database, served behind one trusted reverse proxy (TRUSTED_PROXY_COUNT=1)."""
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                      TRUSTED_PROXY_COUNT=1, RATELIMIT_ENABLED=False)
