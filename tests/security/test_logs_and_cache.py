"""Logs never hold e-mail addresses or IPs in clear; the page micro-cache stays correct."""

from __future__ import annotations

import importlib.util
import logging
import re
import time
from types import SimpleNamespace

from sqlalchemy import select, update

from app import pagecache
from app.config import PROJECT_ROOT
from app.extensions import db as _db
from app.models import Appeal
from app.signatures.service import count_confirmed
from tests.builders import make_appeal
from tests.conftest import csrf_token

CLEAR = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b(?:\d{1,3}\.){3}\d{1,3}\b")


LOGGERS = ("app", "app.delivery.worker", "app.signatures.service", "werkzeug", "sqlalchemy.engine",
           "a.logger.added.later")


def test_app_and_module_loggers_hash_emails_and_ips(app, caplog):
    caplog.set_level(logging.INFO)
    for name in LOGGERS:
        logging.getLogger(name).disabled = False  # alembic's fileConfig in the test set-up
        logging.getLogger(name).warning("signer %s from %s", "aigerim@example.org", "203.0.113.7")
    assert len(caplog.records) == len(LOGGERS)
    for record in caplog.records:
        message = record.getMessage()
        assert not CLEAR.search(message), (record.name, message)
        assert "h:" in message


def test_logged_exceptions_are_redacted_too(app, caplog):
    logger = logging.getLogger("app.some.module")
    logger.disabled = False
    try:
        raise ValueError("duplicate key for aigerim@example.org from 203.0.113.7")
    except ValueError:
        logger.exception("could not store")
    assert "could not store" in caplog.text and "ValueError" in caplog.text
    assert not CLEAR.search(caplog.text), caplog.text


def test_confirmation_tokens_are_not_logged(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("app.public").info("GET /confirm/AbCdEf0123456789_-xyz 200")
    assert "AbCdEf0123456789" not in caplog.text and "[redacted]" in caplog.text


def _gunicorn_logger_class():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", PROJECT_ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_access_log_has_no_query_string_ip_or_token(app):
    conf = _gunicorn_logger_class()
    assert "%(q)s" not in conf.access_log_format and "%(r)s" not in conf.access_log_format
    assert "%(f)s" not in conf.access_log_format and "%(a)s" not in conf.access_log_format
    assert conf.forwarded_allow_ips == ""  # no proxy believed unless TRUSTED_PROXY_IPS says so
    logger = conf.PrivateAccessLogger.__new__(conf.PrivateAccessLogger)
    environ = {"REMOTE_ADDR": "203.0.113.7", "REQUEST_METHOD": "GET", "RAW_URI": "/x?email=a@b.org",
               "PATH_INFO": "/confirm/SecretToken123", "QUERY_STRING": "email=aigerim@example.org",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": "https://x/?e=aigerim@example.org",
               "HTTP_USER_AGENT": "UA"}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("Set-Cookie", "session=abc")])
    request = SimpleNamespace(headers=[("X-Forwarded-For", "198.51.100.1"), ("Cookie", "session=abc")])
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    line = conf.access_log_format % atoms
    assert not CLEAR.search(line), line
    assert "SecretToken123" not in line and "session=abc" not in line
    assert line.startswith("h:") and '"GET /confirm/[redacted] HTTP/1.1" 200 10 12ms' in line
    assert all(atoms[k] == "-" for k in atoms if k.startswith("{"))


def test_cached_public_page_gives_each_visitor_their_own_working_token(app):
    with app.app_context():  # the requests below must have app contexts of their own
        slug = make_appeal().slug
    app.config["PUBLIC_PAGE_CACHE_S"] = 60
    pagecache.clear()
    try:
        first, second = app.test_client(), app.test_client()
        page_one = first.get(f"/a/{slug}").get_data(as_text=True)
        page_two = second.get(f"/a/{slug}").get_data(as_text=True)
        assert pagecache.PLACEHOLDER not in page_two
        assert csrf_token(page_one) != csrf_token(page_two)  # the cached copy is per visitor
        assert page_one.replace(csrf_token(page_one), "") == page_two.replace(csrf_token(page_two), "")
        recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', page_two)
        response = second.post(f"/a/{slug}", data={
            "csrf_token": csrf_token(page_two), "name": "Aigerim", "email": "a@example.org",
            "country": "KZ", "recipients": recipients})
        assert response.status_code == 303
        # Pausing shows at once (the state is part of the key).
        with app.app_context():
            _db.session.execute(update(Appeal).values(state="paused", paused_notice="Hearing."))
            _db.session.commit()
        assert "Writing is paused" in first.get(f"/a/{slug}").get_data(as_text=True)
    finally:
        app.config["PUBLIC_PAGE_CACHE_S"] = 0
        pagecache.clear()


def test_a_stream_of_confirmations_reuses_the_cached_page_until_it_expires(app):
    with app.app_context():
        appeal = make_appeal()
        slug, appeal_id = appeal.slug, appeal.id
    app.config["PUBLIC_PAGE_CACHE_S"] = 1
    pagecache.clear()
    try:
        visitor = app.test_client()
        assert 'id="signature-count">0</strong>' in visitor.get(f"/a/{slug}").get_data(as_text=True)
        with app.app_context():
            for _ in range(3):
                _db.session.execute(count_confirmed(appeal_id, +1))
                _db.session.commit()
        # Not re-rendered per confirmation: the count may be a second old.
        assert 'id="signature-count">0</strong>' in visitor.get(f"/a/{slug}").get_data(as_text=True)
        time.sleep(1.1)
        assert 'id="signature-count">3</strong>' in visitor.get(f"/a/{slug}").get_data(as_text=True)
        # A coordinator's edit shows at once.
        with app.app_context():
            _db.session.execute(update(Appeal).values(title="Release the blogger"))
            _db.session.commit()
        assert "Release the blogger" in visitor.get(f"/a/{slug}").get_data(as_text=True)
    finally:
        app.config["PUBLIC_PAGE_CACHE_S"] = 0
        pagecache.clear()


def test_logged_in_users_are_never_served_the_cached_page(app):
    from app.auth.service import create_user

    with app.app_context():
        slug = make_appeal().slug
        create_user("coord@example.org", "correct horse battery")
    app.config["PUBLIC_PAGE_CACHE_S"] = 60
    pagecache.clear()
    try:
        anonymous = app.test_client().get(f"/a/{slug}").get_data(as_text=True)
        assert "Log out" not in anonymous
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        assert client.post("/login", data={"csrf_token": csrf_token(page), "email": "coord@example.org",
                                           "password": "correct horse battery"}).status_code == 303
        assert "Log out" in client.get(f"/a/{slug}").get_data(as_text=True)
    finally:
        app.config["PUBLIC_PAGE_CACHE_S"] = 0
        pagecache.clear()


def test_unknown_or_draft_appeal_is_404_with_the_cache_on(app, db):
    make_appeal(slug="draft", state="draft")
    db.session.commit()
    app.config["PUBLIC_PAGE_CACHE_S"] = 60
    try:
        client = app.test_client()
        assert client.get("/a/draft").status_code == 404
        assert client.get("/a/nothing-here").status_code == 404
    finally:
        app.config["PUBLIC_PAGE_CACHE_S"] = 0
    assert db.session.scalar(select(Appeal.state)) == "draft"


def _browser(base: str):
    """GET and POST on the live server with a cookie jar, as one visitor's browser would."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def visit(path: str, form: dict | None = None) -> str:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        with opener.open(base + path, data=data, timeout=30) as response:
            return response.read().decode()

    return visit


def test_a_signing_flow_logged_at_debug_leaves_no_address_token_or_ip(app, db, smtp, live_server,
                                                                      caplog):
    """Sign, send the confirmation, confirm and open the private link through a real server
    (its access log included) with every logger at DEBUG: nothing in clear."""
    from app.delivery.worker import deliver_due
    from tests.builders import make_keyed_group
    from tests.signer_privacy.helpers import Signer, link_in

    group, _key = make_keyed_group()
    slug = make_appeal(group=group).slug
    db.session.commit()
    db.session.rollback()  # no read transaction of ours in the way of the server's writes
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = [lg for lg in loggers if lg.disabled]
    for logger in disabled:
        logger.disabled = False  # alembic's fileConfig in the test set-up
    caplog.set_level(logging.DEBUG)
    signer, visit = Signer.new(), _browser(live_server)
    try:
        html = visit(f"/a/{slug}")
        visit(f"/a/{slug}", {
            "name": signer.name, "email": signer.email, "country": "KZ", "city": signer.city,
            "message": signer.message, "public_display": "none", "letter_inclusion": "count_only",
            "wants_updates": "y", "csrf_token": csrf_token(html),
            "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)})
        assert deliver_due() == 1
        mail = smtp.wait_for(1)[-1]
        confirm, own = link_in(mail, "/confirm/"), link_in(mail, "/my/")
        assert "confirmed" in visit(confirm, {"csrf_token": csrf_token(visit(confirm))})
        assert signer.city in visit(own)
    finally:
        for logger in disabled:
            logger.disabled = True
    # mail.log is aiosmtpd's, the test's own SMTP server: it logs what it receives.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert '"GET /my/[redacted]' in logged  # the server's access log was captured
    secrets = (signer.email, signer.email.split("@")[0], confirm.split("/")[-1].split("?")[0],
               own.split("/")[-1].split("?")[0], "127.0.0.1 ")
    for secret in secrets:
        assert secret not in logged, secret
