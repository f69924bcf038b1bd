"""The private link is the signer's way back: to the appeal, their own letter and the share links.

The confirmation link works once; a signer who closed that tab has only the private link (and,
if they asked for news, the case updates) to come back by.
"""

from __future__ import annotations

import re

from app.delivery.worker import deliver_due
from tests.builders import make_appeal, make_keyed_group
from tests.signer_privacy.helpers import Signer, link_in, sign, sign_and_confirm


def _letter_link(html: str) -> str | None:
    match = re.search(r'href="(/a/[\w-]+/write\?s=[^"]+)"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_private_page_of_a_confirmed_signer_leads_to_their_own_letter_and_the_share_links(
        client, db, smtp):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    path = link_in(sign_and_confirm(client, smtp, appeal.slug, signer), "/my/")
    html = client.get(path).get_data(as_text=True)
    assert f'href="/a/{appeal.slug}"' in html
    assert "https://t.me/share/url" in html  # the share links, as after confirming
    letter = _letter_link(html)
    assert letter is not None
    page = client.get(letter).get_data(as_text=True)
    assert "your own letter</strong>, as a confirmed signer" in page  # the write page knows them


def test_private_page_offers_no_letter_before_confirmation_nor_while_paused(client, db, smtp):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    sign(client, appeal.slug, signer)
    assert deliver_due() == 1
    pending_path = link_in(smtp.wait_for(1)[-1], "/my/")
    assert _letter_link(client.get(pending_path).get_data(as_text=True)) is None
    confirmed = Signer.new("b")
    path = link_in(sign_and_confirm(client, smtp, appeal.slug, confirmed, already_received=1),
                   "/my/")
    appeal.state, appeal.paused_notice = "paused", "Paused at the family's request."
    db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert _letter_link(html) is None and "t.me/share" not in html
