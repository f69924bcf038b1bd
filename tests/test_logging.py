"""Logs never hold e-mail addresses, IP addresses or tokens in clear."""

from __future__ import annotations

import logging
import re

import pytest

from app.logging_setup import redact


def test_redact_hashes_emails_and_ips_and_drops_tokens(app):
    line = '10.1.2.3 - - "POST /confirm/AbC_123-xyz HTTP/1.1" 200 user=aigerim@example.org'
    cleaned = redact(line)
    assert "10.1.2.3" not in cleaned and "aigerim@example.org" not in cleaned
    assert "AbC_123-xyz" not in cleaned and "/confirm/[redacted]" in cleaned
    assert redact("aigerim@example.org") == redact("AIGERIM@example.org")  # stable pseudonym


def test_addresses_with_any_character_a_signer_may_use_are_hashed_whole(app):
    """email-validator accepts every RFC 5322 atext character before the @ (o'connor, a!b,
    x{y}): none of the address may stay in the log, and a quoted one keeps its pseudonym."""
    for address in ("o'connor@example.org", "first!last@example.org", "x{y}@example.org",
                    "a}@example.org", "a#b$c%d&e*f/g=h?i^j`k|l~m@example.org"):
        cleaned = redact(f"signer {address} refused")
        assert re.fullmatch(r"signer h:[0-9a-f]{12} refused", cleaned), cleaned
    assert redact("('aigerim@example.org', 5)") == f"('{redact('aigerim@example.org')}', 5)"


@pytest.mark.parametrize("line", [
    # An e-mail body as an SQL error quotes its parameters: line breaks written as \n.
    "[parameters: ('Confirm:\\nhttp://h:5000/confirm/TOKEN0123\\n"
    "http://h:5000/my/SECRET4567?lang=ru\\n', 3)]",
    "http://h/confirm/TOKEN0123,http://h/my/SECRET4567",
    "/my/SECRET4567\\n/confirm/TOKEN0123",
    "(see /statements/cosign/withdraw/TOKEN0123; /my/SECRET4567)",
    "next=/a/free-him/write/3/letter.pdf?s=TOKEN0123&x=/my/SECRET4567",
])
def test_a_secret_in_a_link_is_redacted_whatever_follows_the_link(app, line):
    cleaned = redact(line)
    assert "TOKEN0123" not in cleaned and "SECRET4567" not in cleaned, cleaned
    assert "[redacted]" in cleaned


def test_request_log_lines_are_redacted(app, caplog):
    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('%s - - "GET /confirm/%s HTTP/1.1" 200 -', "192.0.2.7", "secret-token-value")
    text = caplog.text
    assert "192.0.2.7" not in text and "secret-token-value" not in text


# --- Routes that carry a secret are marked where declared; the loggers redact by the mark ----

QUERY_SECRET_ENDPOINTS = {"channels.write", "channels.letter_pdf"}  # the signer's `?s=` token


def _example_path(rule) -> tuple[str, list[str]]:
    """A path of `rule` with a recognisable value in each variable part, and those values."""
    values = {name: (987654321 if f"<int:{name}>" in rule.rule else f"SeCrEt{name}Value")
              for name in rule.arguments}
    adapter = rule.map.bind("localhost")
    return adapter.build(rule.endpoint, values), [str(v) for v in values.values()]


def test_every_route_with_a_token_in_its_url_is_marked_as_carrying_a_secret(app):
    from app.logging_setup import secret_rules

    marked = {rule.endpoint for rule in secret_rules(app)}
    with_token = {rule.endpoint for rule in app.url_map.iter_rules()
                  if any("token" in name or "secret" in name for name in rule.arguments)}
    assert with_token >= {"auth.password_reset", "statement_public.cosign_withdraw",
                          "statement_public.cosign_withdraw_page", "public.confirm",
                          "signer_privacy.own_page", "signer_privacy.own_delete"}
    assert with_token - marked == set()
    assert QUERY_SECRET_ENDPOINTS <= marked


def test_every_secret_route_is_redacted_in_the_app_log_and_the_access_log(app):
    import importlib.util
    from datetime import timedelta
    from types import SimpleNamespace

    from app.config import PROJECT_ROOT
    from app.logging_setup import secret_rules

    spec = importlib.util.spec_from_file_location("gunicorn_conf", PROJECT_ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    access = conf.PrivateAccessLogger.__new__(conf.PrivateAccessLogger)
    rules = secret_rules(app)
    assert len(rules) >= 13
    for rule in rules:
        path, secrets = _example_path(rule)
        url = path + "?s=QuErYsEcReT"
        environ = {"REMOTE_ADDR": "::1", "REQUEST_METHOD": "GET", "PATH_INFO": path, "RAW_URI": url,
                   "QUERY_STRING": "s=QuErYsEcReT", "SERVER_PROTOCOL": "HTTP/1.1"}
        atoms = access.atoms(SimpleNamespace(status="200 OK", sent=1, headers=[]),
                             SimpleNamespace(headers=[]), environ, timedelta(milliseconds=1))
        for line in (redact(f'::1 - - "GET {url} HTTP/1.1" 200 -'),
                     redact(f"link: http://127.0.0.1:5000{url}"),
                     conf.access_log_format % atoms):
            assert "[redacted]" in line, (rule.rule, line)
            for secret in [*secrets, "QuErYsEcReT"]:
                assert secret not in line, (rule.rule, line)


def test_paths_of_other_routes_are_kept():
    assert redact('"GET /a/free-the-journalist/thanks HTTP/1.1" 200') == (
        '"GET /a/free-the-journalist/thanks HTTP/1.1" 200')


def test_pseudonyms_are_keyed_with_the_secret_key(app, monkeypatch):
    import hashlib

    from app.logging_setup import _state, pseudonym

    unkeyed = "h:" + hashlib.sha256(b"127.0.0.1").hexdigest()[:12]
    assert pseudonym("127.0.0.1") != unkeyed
    first = pseudonym("127.0.0.1")
    monkeypatch.setitem(_state, "key", "another-key")
    assert pseudonym("127.0.0.1") != first


def test_ipv6_client_addresses_are_pseudonymised(app):
    for address in ("2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.7"):
        cleaned = redact(f'{address} - - [30/Nov/2026 05:48:56] "GET / HTTP/1.1" 200 -')
        assert address not in cleaned and cleaned.startswith("h:"), cleaned
        assert "05:48:56" in cleaned  # a time is not an address
    assert "2001:db8::1" not in redact("client [2001:db8::1]:51234 refused")


def test_the_startup_line_keeps_its_address(app):
    for line in (" * Running on http://127.0.0.1:5000", " * Running on http://[::1]:5101"):
        assert redact(line) == line
