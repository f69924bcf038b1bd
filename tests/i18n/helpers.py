"""Builders for the language tests: an appeal with a Russian translation, signing in a language."""

from __future__ import annotations

import re

from app.extensions import db
from tests.builders import make_appeal
from tests.conftest import csrf_token

RUSSIAN = {
    "title": "Освободите журналиста",
    "summary": "Журналиста судят за публикацию.",
    "court": "Специализированный межрайонный суд по уголовным делам города Астаны",
    "people": [{"name": "Амангельды Батырбеков"}],
    "demands": {"1": {"authority": "Генеральный прокурор Республики Казахстан",
                      "text": "Прекратить уголовное преследование."}},
}


def make_translated_appeal(*, slug: str = "translated", translations: dict | None = None, **kwargs):
    """An English appeal with a Russian translation of its title, summary, court and demands."""
    appeal = make_appeal(slug=slug, **kwargs)
    appeal.translations = translations if translations is not None else {"ru": RUSSIAN}
    db.session.commit()
    return appeal


def sign_in(client, slug: str, query: str = "", headers: dict | None = None, **overrides):
    """Sign `slug` through its public form as a visitor of `query` / `headers`."""
    html = client.get(f"/a/{slug}{query}", headers=headers or {}).get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
    data = {"name": "Айгерим Султанова", "email": "aigerim@example.org", "country": "KZ",
            "public_display": "none", "letter_inclusion": "count_only",
            "csrf_token": csrf_token(html), "recipients": recipients, **overrides}
    return client.post(f"/a/{slug}", data=data, headers=headers or {})
