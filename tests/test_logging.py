"""Logs never hold e-mail addresses, IP addresses or tokens in clear."""

from __future__ import annotations

import logging

from app.logging_setup import redact


def test_redact_hashes_emails_and_ips_and_drops_tokens():
    line = '10.1.2.3 - - "POST /confirm/AbC_123-xyz HTTP/1.1" 200 user=aigerim@example.org'
    cleaned = redact(line)
    assert "10.1.2.3" not in cleaned and "aigerim@example.org" not in cleaned
    assert "AbC_123-xyz" not in cleaned and "/confirm/[redacted]" in cleaned
    assert redact("aigerim@example.org") == redact("AIGERIM@example.org")  # stable pseudonym


def test_request_log_lines_are_redacted(app, caplog):
    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('%s - - "GET /confirm/%s HTTP/1.1" 200 -', "192.0.2.7", "secret-token-value")
    text = caplog.text
    assert "192.0.2.7" not in text and "secret-token-value" not in text
