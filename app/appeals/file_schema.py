"""What an appeal file (`flask appeals import`, app/demo/appeals/*.yaml) may hold, declared once
with pydantic and the shared field types of app.datafiles.fields.

Rules between parts of one appeal (a charge's person among the case's people, numbers used once,
translations that match the appeal) are the model validator at the end; whether the posts exist
is checked against the directory by app.appeals.files.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import AfterValidator, model_validator

from app.datafiles.errors import At, Several
from app.datafiles.fields import (
    Country,
    Day,
    Language,
    PartialDate,
    Record,
    Slug,
    choice,
    flag,
    optional,
    text,
    whole_number,
)
from app.models.enums import (
    AppealOutcome,
    AppealState,
    CaseStatus,
    EventKind,
    PersonRole,
    RecipientRole,
)
from app.template_sandbox.process import compile_problem

Number = whole_number(1, 9999)
Body = optional(text(one_line=False))


def _web_address(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(_("must start with http:// or https://"))
    return value


Url = Annotated[text(2000), AfterValidator(_web_address)]


class RunningGroup(Record):
    slug: Slug
    name: text(200)
    website: optional(text(300)) = None
    email: optional(text(300)) = None
    address: Body = None


class Letter(Record):
    subject: optional(text(300)) = None
    language: optional(Language) = None
    body: Body = None


def _compiles(source: str) -> str:
    """The check the letters' request editor makes before saving."""
    problem = compile_problem(source)
    if problem:
        raise ValueError(_("this template cannot be used: %(problem)s", problem=problem))
    return source


RequestTemplate = optional(Annotated[text(one_line=False), AfterValidator(_compiles)])


class LetterRequests(Record):
    """A letter language's own requests, in place of letter_templates/requests/<language>/."""

    authority: RequestTemplate = None
    third_party: RequestTemplate = None


class CasePerson(Record):
    name: text(200)
    role: choice(PersonRole)
    status: choice(CaseStatus)
    description: Body = None


class Charge(Record):
    person: optional(text(200)) = None
    code: text(200)
    article: text(40)
    label: text(300)


class Event(Record):
    date: PartialDate
    kind: choice(EventKind)
    title: text(300, one_line=False)
    court: optional(text(300, one_line=False)) = None
    description: Body = None
    public: flag(True) = True


class SourceRef(Record):
    number: Number
    title: Body = None
    url: optional(Url) = None


class Demand(Record):
    number: Number
    authority: text(one_line=False)
    post: optional(Slug) = None
    text: text(one_line=False)


class Recipient(Record):
    post: Slug
    role: optional(choice(RecipientRole)) = None


class PersonName(Record):
    name: text(200)


class ChargeText(Record):
    code: optional(text(200)) = None
    article: optional(text(40)) = None
    label: optional(text(300)) = None


class DemandText(Record):
    # Both, so that a letter never shows a translated demand under an untranslated heading.
    authority: text(one_line=False)
    text: text(one_line=False)


class Translation(Record):
    title: optional(text(300)) = None
    summary: Body = None
    subject: optional(text(300)) = None
    court: optional(text(300)) = None
    organisation: optional(text(300)) = None
    people: optional(list[PersonName]) = None
    charges: optional(dict[str, ChargeText]) = None
    demands: optional(dict[Number, DemandText]) = None


def _numbers_used_twice(key: str, rows: list) -> list[At]:
    seen: set[int] = set()
    complaints = []
    for i, row in enumerate(rows):
        if row.number in seen:
            complaints.append(At(_("number %(n)s is used twice", n=row.number), key, i, "number"))
        seen.add(row.number)
    return complaints


def _translation_complaints(language: str, entry: Translation, appeal: AppealFile) -> list[At]:
    here = ("translations", language)
    people, articles = appeal.people or [], {c.article for c in appeal.charges or []}
    numbers = {d.number for d in appeal.demands or []}
    complaints = [At(_("the appeal has %(n)s people: there is no person %(i)s", n=len(people), i=i + 1),
                     *here, "people", i) for i in range(len(people), len(entry.people or []))]
    complaints += [At(_("the appeal has no charge under article '%(article)s'", article=article),
                      *here, "charges", article)
                   for article in entry.charges or {} if article not in articles]
    complaints += [At(_("the appeal has no demand number %(n)s", n=number), *here, "demands", str(number))
                   for number in entry.demands or {} if number not in numbers]
    return complaints


class AppealFile(Record):
    """One appeal."""

    slug: Slug
    title: text(300)
    state: optional(choice(AppealState)) = None
    summary: Body = None
    # The public page's first screen (the photo is uploaded on the coordinator's page, never here).
    pitch: Body = None
    signature_goal: optional(whole_number(1, 100_000_000)) = None
    paused_notice: Body = None
    write_before: optional(Day) = None  # the day `flask appeals close-due` closes it
    outcome: optional(choice(AppealOutcome)) = None  # how the case ended, once closed
    country: optional(Country) = None
    court: optional(text(300)) = None
    organisation: optional(RunningGroup) = None
    letter: optional(Letter) = None
    letter_requests: optional(dict[Language, LetterRequests]) = None
    people: optional(list[CasePerson]) = None
    charges: optional(list[Charge]) = None
    events: optional(list[Event]) = None
    sources: optional(list[SourceRef]) = None
    demands: optional(list[Demand]) = None
    recipients: optional(list[Recipient]) = None
    body: Body = None
    translations: optional(dict[Language, Translation]) = None

    @model_validator(mode="after")
    def _parts_agree(self) -> AppealFile:
        complaints = self._case_complaints()
        for language, entry in (self.translations or {}).items():
            complaints += _translation_complaints(language, entry, self)
        if complaints:
            raise Several(complaints)
        return self

    def _case_complaints(self) -> list[At]:
        complaints = []
        if self.state == AppealState.PAUSED and not self.paused_notice:
            complaints.append(At(_("a paused appeal needs a paused_notice, shown on its page"), "state"))
        names = {p.name for p in self.people or []}
        complaints += [At(_("'%(name)s' is not one of the people of the case", name=c.person),
                          "charges", i, "person")
                       for i, c in enumerate(self.charges or []) if c.person and c.person not in names]
        complaints += _numbers_used_twice("sources", self.sources or [])
        complaints += _numbers_used_twice("demands", self.demands or [])
        seen: set[str] = set()
        for i, recipient in enumerate(self.recipients or []):
            if recipient.post in seen:
                complaints.append(At(_("%(post)s is listed twice", post=recipient.post),
                                     "recipients", i, "post"))
            seen.add(recipient.post)
        return complaints


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        value = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def letter_requests_values(appeal: AppealFile) -> dict | None:
    """The coordinator's requests as stored ({language: {role: source}}), None if none."""
    result = {language: _without_empty(entry.model_dump())
              for language, entry in (appeal.letter_requests or {}).items()}
    return {language: roles for language, roles in result.items() if roles} or None


def translations_values(appeal: AppealFile) -> dict | None:
    """The translations in the export's form (app.appeals.translations.to_export), None if none."""
    result = {}
    for language, entry in (appeal.translations or {}).items():
        fields = _without_empty(entry.model_dump())
        if fields:
            result[language] = fields
    return result or None

