"""Hypothesis settings for the fuzz tests: enough examples to find things, fast enough for CI."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "appeal-desk",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=os.environ.get("FUZZ_RANDOM") is None,  # CI reproducible; FUZZ_RANDOM=1 explores
)
settings.load_profile("appeal-desk")


import re  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def fuzz_appeal(app):
    """An open appeal, an admin account, and a client holding a CSRF token (one session)."""
    from app.auth.service import create_user
    from tests.builders import make_appeal
    from tests.conftest import csrf_token

    with app.app_context():
        slug = make_appeal().slug
        create_user("coord@example.org", "correct horse battery", role="admin")  # sees every appeal
    client = app.test_client()
    html = client.get(f"/a/{slug}").get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
    return client, slug, csrf_token(html), recipients
