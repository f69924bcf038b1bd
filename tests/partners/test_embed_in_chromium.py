"""The embed form in a real headless Chromium (JavaScript off), framed by a partner's page
served from a second loopback server on another origin."""

from __future__ import annotations

import http.server
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.models import Partner
from tests.builders import make_appeal
from tests.conftest import free_port
from tests.partners.helpers import confirm_latest, make_partner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]


@pytest.fixture
def partner_site():
    """A partner's web server on loopback; `page(src)` sets the page that frames `src`."""
    state = {"html": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(state["html"])

        def log_message(self, *_args):  # noqa: ANN002
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def page(src: str) -> None:
        state["html"] = (f'<!doctype html><title>PEN</title><h1>Partner page</h1>'
                         f'<iframe id="appeal" src="{src}" width="400" height="1400"></iframe>').encode()

    yield port, page
    server.shutdown()


def _frame_has_form(page) -> bool:
    frame = page.frame_locator("#appeal")
    return frame.locator("#embed-sign").count() == 1


def test_embed_loads_and_signs_in_a_frame_of_the_allowed_origin_only(
        live_server, browser_page, partner_site, app, db):
    page, requested = browser_page
    port, set_page = partner_site
    # localhost and 127.0.0.1 are different sites: our session cookie (SameSite=Lax) would not
    # be sent with the frame's POST, so this also proves the form needs no cookie.
    allowed = f"http://localhost:{port}"
    appeal = make_appeal(slug="batyrbekov", title="Release Amangeldy Batyrbekov")
    partner_id = make_partner(appeal, origins=allowed).id
    db.session.rollback()
    set_page(live_server + "/embed/batyrbekov/pen-kz")

    page.goto(f"http://127.0.0.1:{port}/")  # same page, an origin not on the list
    page.wait_for_load_state()
    assert not _frame_has_form(page)

    page.goto(allowed + "/")
    page.wait_for_load_state()
    assert _frame_has_form(page)
    frame = page.frame_locator("#appeal")
    frame.locator("#name").fill("Aigerim Sultanova")
    frame.locator("#email").fill("aigerim@example.org")
    frame.locator("#country").select_option("KZ")
    frame.locator("button:text('Sign')").click()
    frame.locator("#embed-thanks").wait_for()
    assert page.url == allowed + "/"  # the partner's page stays; only the frame moved on
    assert frame.locator("#embed-thanks").count() == 1

    confirm_latest(app.test_client())
    page.reload()
    page.wait_for_load_state()
    assert "1 through PEN Kazakhstan" in page.frame_locator("#appeal").locator("#embed-counts").inner_text()
    assert db.session.scalar(select(Partner.confirmed_count).where(Partner.id == partner_id)) == 1
    hosts = {urlsplit(url).netloc for url in requested}
    assert hosts <= {urlsplit(live_server).netloc, f"localhost:{port}", f"127.0.0.1:{port}"}, requested
