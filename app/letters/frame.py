"""The fixed words of a letter (salutations, headings, labels, annex) from the gettext catalogs.

Every string is a msgid in English, translated in app/translations/<code>/LC_MESSAGES/messages.po
and looked up under `force_locale(language)`, so adding a letter language is a catalog and a
body file (letter_templates/bodies/<code>.html), nothing here.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import force_locale, gettext, lazy_gettext, pgettext

# msgids only: evaluated under the letter's locale in frame_strings().
ROLES = {
    "journalist": lazy_gettext("journalist"), "blogger": lazy_gettext("blogger"),
    "activist": lazy_gettext("activist"), "trade_unionist": lazy_gettext("trade unionist"),
    "human_rights_defender": lazy_gettext("human rights defender"),
    "other": lazy_gettext("citizen"),
}
STATUSES = {
    "imprisoned": lazy_gettext("imprisoned"),
    "suspended_sentence": lazy_gettext("serving a suspended sentence"),
    "restricted_freedom": lazy_gettext("sentenced to restricted freedom"),
    "on_trial": lazy_gettext("on trial"),
    "psychiatric_detention": lazy_gettext("held in psychiatric detention"),
    "abroad_at_risk": lazy_gettext("abroad and at risk"),
    "released": lazy_gettext("released"),
}


def _words() -> dict[str, str]:
    """The frame words in the current locale."""
    return {
        "date": gettext("Date"), "reference": gettext("Our reference"), "cc": gettext("Cc"),
        # British usage: "sincerely" to a person named or addressed by title, "faithfully"
        # after "Dear Sir or Madam" (a letter to an office).
        "closing": gettext("Yours sincerely,"), "closing_office": gettext("Yours faithfully,"),
        "sources": gettext("Sources"),
        "on_behalf": gettext("on behalf of %(count)s signatories", count="{count}"),
        "on_behalf_one": gettext("on behalf of one signatory"),
        "undersigned": gettext("The undersigned"),
        "annex_title": gettext("Annex: signatories"),
        "annex_count": gettext("Confirmed signatures: %(count)s. Listed here: the %(named)s "
                               "signatories who agreed to be named in letters to officials.",
                               count="{count}", named="{named}"),
        "annex_count_one": gettext("Confirmed signatures: %(count)s. Listed here: the one "
                                   "signatory who agreed to be named in letters to officials.",
                                   count="{count}"),
        "fax": gettext("FAX"), "to": gettext("To"), "fax_number": gettext("Fax number"),
        # Russian "Кому" and Kazakh "Кімге" ask for the dative; this one heads a recipient
        # named in the nominative (no dative form in the directory).
        "to_nominative": pgettext("fax cover, before a recipient named in the nominative", "To"),
        "sender": gettext("From"), "pages": gettext("Pages (with this one)"),
        "subject": gettext("Subject"),
        "fax_note": gettext("Please tell the sender if any page is missing or unreadable."),
        "office_salutation": gettext("Dear Sir or Madam"),
        "charge": gettext("Article %(article)s of the %(code)s", article="{article}",
                          code="{code}"),
        "anonymous_organisation": gettext("An organisation in %(country)s", country="{country}"),
        "individuals": gettext("Also signed by individuals"),
        "in_my_words": gettext("In my own words"),
        "a_supporter": gettext("A supporter"),
        "shortened": gettext("[This letter was shortened to fit in an e-mail link. "
                             "The full text: %(url)s]", url="{url}"),
    }


@lru_cache(maxsize=16)
def _cached(language: str) -> tuple[tuple[str, str], ...]:
    with force_locale(language):
        words = _words()
        words.update({f"role:{k}": str(v) for k, v in ROLES.items()})
        words.update({f"status:{k}": str(v) for k, v in STATUSES.items()})
    return tuple(words.items())


def frame_strings(language: str) -> dict[str, str]:
    """Every fixed word of a letter in `language` (English where the catalog has no entry)."""
    return dict(_cached(language))


def role_word(role: str, language: str) -> str:
    return frame_strings(language).get(f"role:{role}", role)


def status_word(status: str, language: str) -> str:
    return frame_strings(language).get(f"status:{status}", status)
