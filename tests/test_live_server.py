"""The gunicorn fixture serves the test's own database in production mode."""

from __future__ import annotations

import urllib.request

from tests.builders import make_appeal


def test_gunicorn_server_serves_the_tests_database(gunicorn_server, db):
    appeal = make_appeal()
    with urllib.request.urlopen(f"{gunicorn_server.url}/a/{appeal.slug}") as response:
        assert response.status == 200
        assert appeal.title in response.read().decode()
