"""Security headers, cookies, CSRF on every POST, no-store on private pages, safe redirects."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2
import pytest

from app import create_app
from app.auth.service import MAX_FAILED_LOGINS, create_user
from app.config import PROJECT_ROOT, TestConfig
from app.extensions import limiter
from tests.builders import make_appeal
from tests.conftest import csrf_token

TEMPLATES = PROJECT_ROOT / "app" / "templates"
# E-mails and PDF letters are not served under the page CSP (they go to mail clients and
# WeasyPrint); every other template is a page a browser loads.
SERVED_TEMPLATES = sorted(p for p in TEMPLATES.rglob("*.html")
                          if "email" not in p.relative_to(TEMPLATES).parts and "pdf" not in p.name)


def test_public_pages_send_a_strict_csp_and_the_other_headers(client, db):
    appeal = make_appeal()
    for path in ("/", f"/a/{appeal.slug}", "/login", "/no-such-page"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'none'", path
        assert "script-src" not in directives  # so no script runs at all, inline or not
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("template", SERVED_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_served_template_has_nothing_the_csp_would_block(template: Path):
    source = template.read_text()
    assert not re.search(r"<script\b", source, re.I), "inline or external script"
    assert not re.search(r"\sstyle\s*=", source, re.I), "inline style attribute"
    assert not re.search(r"<style\b", source, re.I), "inline <style> element"
    assert not re.search(r"\son[a-z]+\s*=", source, re.I), "inline event handler"
    assert not re.search(r"javascript:", source, re.I), "javascript: URL"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", source, re.I), \
        "asset or link to another host in a served template"


# Routes whose authority is a secret in the URL, not the session: RFC 8058's one-click
# unsubscribe is POSTed by mail clients without any cookie. A made-up token changes nothing (410).
# The partner's embedded form carries a signed token of its own instead of the session's
# (app/partners/formtoken.py): without it, 400 before anything is looked up.
TOKEN_IS_THE_PROOF = {"/unsubscribe/<token>": 410, "/embed/<slug>/<code>": 400}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_REFUSAL = "Go back, reload the page and send the form again."


def test_every_state_changing_route_refuses_a_post_without_csrf_token(app, client, db, login):
    login(role="admin")  # past every login check, so only CSRF can refuse
    make_appeal(slug="x")
    checked = []
    for rule in app.url_map.iter_rules():
        values = {arg: (1 if rule._converters[arg].__class__.__name__ == "IntegerConverter" else "x")
                  for arg in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods & STATE_CHANGING):
            response = client.open(path, method=method, data={"name": "x"})
            if rule.rule in TOKEN_IS_THE_PROOF:
                assert response.status_code == TOKEN_IS_THE_PROOF[rule.rule], rule.rule
            else:  # refused by CSRFProtect itself, not by a later check that happens to say 400
                assert response.status_code == 400, (method, rule.rule, response.status_code)
                assert CSRF_REFUSAL in response.get_data(as_text=True), (method, rule.rule)
            checked.append(rule.rule)
    assert "/a/<slug>" in checked and "/login" in checked and "/confirm/<token>" in checked
    assert len(checked) >= 10


def test_every_page_a_logged_in_user_sees_is_not_stored(app, client, db, login):
    login(role="admin")
    make_appeal(slug="x")
    seen = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.arguments - {"slug"}:
            continue
        path = rule.build({"slug": "x"} if "slug" in rule.arguments else {}, append_unknown=False)[1]
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", (rule.rule, response.status_code)
        seen += 1
    assert seen >= 5


def test_signers_csv_and_signer_lists_are_not_stored(client, db, login):
    login()
    appeal = make_appeal()
    detail = client.get(f"/coordinator/appeals/{appeal.slug}")
    assert detail.headers["Cache-Control"] == "no-store"
    export = client.post(f"/coordinator/appeals/{appeal.slug}/signatures.csv",
                         data={"csrf_token": csrf_token(detail.get_data(as_text=True))})
    assert export.status_code == 200 and export.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https://evil.example", "http:evil.example",
    "/%2F%2Fevil.example", "\\\\evil.example", "javascript:alert(1)", " //evil.example",
])
def test_next_after_login_never_leaves_the_site(client, db, target):
    create_user("coord@example.org", "correct horse battery")
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", query_string={"next": target}, data={
        "csrf_token": csrf_token(page), "email": "coord@example.org",
        "password": "correct horse battery"})
    assert response.status_code == 303
    location = response.headers["Location"]
    # Where a browser goes (it reads a backslash as a slash): still this site.
    landed = urlsplit(urljoin("https://appeals.example/login", location.replace("\\", "/")))
    assert landed.scheme == "https" and landed.netloc == "appeals.example", location


def test_next_on_the_site_is_followed(client, db):
    create_user("coord@example.org", "correct horse battery")
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", query_string={"next": "/coordinator/outbox"}, data={
        "csrf_token": csrf_token(page), "email": "coord@example.org",
        "password": "correct horse battery"})
    assert response.headers["Location"] == "/coordinator/outbox"


def _login_answer(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                           "password": password})
    # The CSRF token differs per session; everything else must be byte-identical.
    body = re.sub(r'value="[^"]+" name="csrf_token"|name="csrf_token" type="hidden" value="[^"]+"',
                  "TOKEN", response.get_data(as_text=True))
    # The address typed is shown back in its field; nothing else may differ.
    return response.status_code, body.replace(email, "EMAIL")


def test_lock_out_after_max_failed_logins_with_the_same_answer(app, db):
    create_user("coord@example.org", "correct horse battery")
    client = app.test_client()
    unknown = _login_answer(client, "nobody@example.org", "whatever")
    wrong = None
    for _ in range(MAX_FAILED_LOGINS):
        wrong = _login_answer(client, "coord@example.org", "wrong password")
    locked = _login_answer(client, "coord@example.org", "correct horse battery")
    assert unknown == wrong == locked
    assert locked[0] == 401


@pytest.fixture
def limited_app(app):
    """An app with Flask-Limiter on (the shared extension is switched off again afterwards)."""
    limited = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                         RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    yield limited
    limiter.enabled = False


def test_login_attempts_are_throttled_per_client(limited_app, app):
    client = limited_app.test_client()
    codes = []
    for _ in range(5):
        page = client.get("/login").get_data(as_text=True)
        codes.append(client.post("/login", data={"csrf_token": csrf_token(page),
                                                 "email": "x@example.org", "password": "nope"}).status_code)
    assert codes == [401, 401, 401, 429, 429]
    other = limited_app.test_client()
    page = other.get("/login", environ_base={"REMOTE_ADDR": "192.0.2.9"}).get_data(as_text=True)
    assert other.post("/login", environ_base={"REMOTE_ADDR": "192.0.2.9"}, data={
        "csrf_token": csrf_token(page), "email": "x@example.org", "password": "nope"}).status_code == 401


def _run_production(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    environment.update({"APPEAL_DESK_ENV": "production", "PYTHONPATH": str(PROJECT_ROOT), **env})
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=60)


PRODUCTION_COOKIES = """
from app import create_app
app = create_app()
client = app.test_client()
r = client.get('/login')
print(r.headers['Set-Cookie'])
r = client.get('/login', headers={'X-Forwarded-Proto': 'https'})
print('HSTS', r.headers.get('Strict-Transport-Security'))
"""


def test_production_cookies_are_secure_httponly_samesite_and_hsts_needs_a_trusted_proxy(tmp_path):
    database = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    direct = _run_production(PRODUCTION_COOKIES, SECRET_KEY="k" * 32, DATABASE_URL=database,
                             APPEAL_DESK_INSTANCE=str(tmp_path))
    assert direct.returncode == 0, direct.stderr
    cookie = direct.stdout.splitlines()[0]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # Without a trusted proxy, a client's X-Forwarded-Proto is not believed.
    assert "HSTS None" in direct.stdout
    proxied = _run_production(PRODUCTION_COOKIES, SECRET_KEY="k" * 32, DATABASE_URL=database,
                              APPEAL_DESK_INSTANCE=str(tmp_path), TRUSTED_PROXY_COUNT="1")
    assert proxied.returncode == 0, proxied.stderr
    assert "HSTS max-age=63072000; includeSubDomains" in proxied.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_production("from app import create_app; create_app()",
                             APPEAL_DESK_INSTANCE=str(tmp_path))
    assert result.returncode != 0 and "SECRET_KEY must be set in production" in result.stderr


def test_startup_refuses_a_jinja2_older_than_3_1_6(monkeypatch):
    # No older Jinja2 can be installed next to the real one; the version attribute stands in.
    monkeypatch.setattr(jinja2, "__version__", "3.1.5")
    with pytest.raises(RuntimeError, match="Jinja2 3.1.5 is older than 3.1.6"):
        create_app(TestConfig)


def test_installed_jinja2_is_at_least_3_1_6():
    from packaging.version import Version

    assert Version(jinja2.__version__) >= Version("3.1.6")


def test_oversized_request_gets_the_413_page_and_stores_nothing(client, db):
    appeal = make_appeal()
    big = "x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"/a/{appeal.slug}", data={"name": big, "email": "a@example.org"})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)
    from sqlalchemy import func, select

    from app.models import Signature
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


@pytest.mark.parametrize("path", [
    "/a/..%2F..%2Fetc%2Fpasswd", "/a/../../etc/passwd", "/a/%2e%2e", "/static/../app/config.py",
    "/static/..%2Fapp%2Fconfig.py", "/static/%2e%2e/%2e%2e/instance/secret_key",
    "/a/" + "x" * 5000, "/a/%00", "/a/test-appeal%00.html", "/confirm/..%2F..%2Fetc",
])
def test_path_traversal_in_slugs_and_files_finds_nothing(client, db, path):
    make_appeal()
    response = client.get(path)
    assert response.status_code in (404, 400, 308), (path, response.status_code)
    body = response.get_data(as_text=True)
    assert "SECRET" not in body and "root:" not in body and "test-secret-key" not in body


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "..", "%2e%2e%2f%2e%2e%2finstance%2fsecret_key",
                                  "x%00.pdf", "....//....//etc"])
def test_path_traversal_in_file_names_of_coordinator_downloads_finds_nothing(client, db, login, name):
    login(role="admin")
    make_appeal()
    for path in (f"/coordinator/letters/test-appeal/to/{name}.pdf",
                 f"/coordinator/letters/{name}/batch.pdf",
                 f"/coordinator/appeals/{name}/suspect"):
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert b"root:" not in response.get_data() and b"test-secret-key" not in response.get_data()


@pytest.fixture
def served_behind_tls_proxy(proxied_app):
    """The app as production runs it: behind a proxy that ends TLS and says so in
    X-Forwarded-Proto (TRUSTED_PROXY_COUNT=1), served by a real server on loopback."""
    from tests.conftest import served

    with served(proxied_app) as url:
        yield url


def test_a_browser_signs_over_https_although_it_sends_no_referer(served_behind_tls_proxy,
                                                                  browser_page, db):
    """Referrer-Policy: no-referrer keeps the browser from sending a Referer even to us, so
    the CSRF check may not ask for one on https (Flask-WTF's WTF_CSRF_SSL_STRICT did: every
    form failed as "expired" in production); the token still protects every form."""
    from tests.live import click_and_load

    page, _requested = browser_page
    page.set_extra_http_headers({"X-Forwarded-Proto": "https"})  # what the TLS proxy adds
    slug = make_appeal().slug
    db.session.commit()
    db.session.rollback()  # no read transaction of ours in the way of the server's writes
    posted: list[dict] = []
    page.on("request", lambda request: posted.append(request.headers)
            if request.method == "POST" else None)
    page.goto(f"{served_behind_tls_proxy}/a/{slug}")
    page.fill("#name", "Aigerim Sultanova")
    page.fill("#email", "aigerim@example.org")
    page.select_option("#country", "KZ")
    click_and_load(page, "#sign button[type=submit]")
    assert posted and "referer" not in posted[0]  # the policy is followed
    assert urlsplit(page.url).path == f"/a/{slug}/thanks", page.content()
    forged = _post_through_proxy(f"{served_behind_tls_proxy}/a/{slug}", {"name": "x"})
    assert forged == 400  # without the token, still refused on https


def _post_through_proxy(url: str, form: dict) -> int:
    """A POST as another site's page would send it through the TLS proxy: no session, no token."""
    import urllib.error
    import urllib.parse
    import urllib.request

    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                     headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_nul_byte_is_refused_in_the_readers_language(client):
    page = client.get("/?lang=ru&q=a%00b")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "символ NUL" in html and "NUL character" not in html
