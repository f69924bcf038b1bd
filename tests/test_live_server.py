"""The gunicorn fixture serves the test's own database in production mode."""

from __future__ import annotations

import urllib.request

from tests.builders import make_appeal


def test_gunicorn_server_serves_the_tests_database(gunicorn_server, db):
    appeal = make_appeal()
    with urllib.request.urlopen(f"{gunicorn_server.url}/a/{appeal.slug}") as response:
        assert response.status == 200
        assert appeal.title in response.read().decode()


def test_gunicorn_moves_to_another_port_when_its_port_was_taken(app, db, tmp_path):
    """Between free_port() and gunicorn's bind another process may take the port; the fixture
    must then not take that process's answers for its own server's."""
    import socket

    from tests.live import free_port, start_gunicorn, stop_gunicorn

    appeal = make_appeal()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", free_port()))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = start_gunicorn(app, tmp_path / "instance", taken)
        try:
            assert not server.url.endswith(f":{taken}")
            with urllib.request.urlopen(f"{server.url}/a/{appeal.slug}") as response:
                assert appeal.title in response.read().decode()
        finally:
            stop_gunicorn(server)
