"""Appeals and their case: people, charges, events, sources, demands, recipients."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.models.base import Base, utcnow
from app.models.enums import AppealState


class Appeal(Base):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default=AppealState.DRAFT, index=True)
    paused_notice: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    court: Mapped[str | None] = mapped_column(String(300))
    letter_subject: Mapped[str | None] = mapped_column(String(300))
    letter_language: Mapped[str] = mapped_column(String(8), default="en")
    letter_body: Mapped[str | None] = mapped_column(Text)
    # The request to each kind of recipient, per letter language, when the coordinator replaced
    # the bundled one: {"ru": {"authority": template, "third_party": template}} (app/letters/requests.py).
    letter_requests: Mapped[dict | None] = mapped_column(JSON)
    # The letter text in other languages: {"ru": {"title": …, "summary": …, "subject": …,
    # "court": …, "people": [{"name": …}], "charges": {article: {"code": …, "label": …}},
    # "demands": {"1": {"authority": …, "text": …}}}} (see app/letters/translations.py).
    translations: Mapped[dict | None] = mapped_column(JSON)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    # Kept in the same transaction as each confirmation so the public page never counts rows.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    # The public page's first screen: a few sentences that say why to sign, and the target count.
    pitch: Mapped[str | None] = mapped_column(Text)
    signature_goal: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # When the appeal was last closed (None while not closed): signers' e-mail addresses are
    # purged a retention period after this, whatever is edited later.
    closed_at: Mapped[datetime | None]
    # High-risk mode: no keyed e-mail hash is kept, so even the server's secret cannot test
    # whether a known address signed; duplicates are removed later with the organisation's key.
    high_risk: Mapped[bool] = mapped_column(default=False, server_default=false())

    # "Write before": `flask appeals close-due` closes an open appeal on this day (docs/campaign.md).
    write_before: Mapped[date | None]
    # How the case ended (AppealOutcome), shown on the public page once the appeal is closed.
    outcome: Mapped[str | None] = mapped_column(String(20))

    group: Mapped["Group | None"] = relationship()  # noqa: F821
    people: Mapped[list[CasePerson]] = relationship(
        back_populates="appeal", order_by="CasePerson.position", cascade="all, delete-orphan"
    )
    charges: Mapped[list[Charge]] = relationship(
        back_populates="appeal", order_by="Charge.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="appeal", order_by="CaseEvent.date", cascade="all, delete-orphan"
    )
    sources: Mapped[list[Source]] = relationship(
        back_populates="appeal", order_by="Source.number", cascade="all, delete-orphan"
    )
    demands: Mapped[list[Demand]] = relationship(
        back_populates="appeal", order_by="Demand.number", cascade="all, delete-orphan"
    )
    recipients: Mapped[list[AppealRecipient]] = relationship(
        back_populates="appeal", order_by="AppealRecipient.position", cascade="all, delete-orphan"
    )

    @validates("state")
    def _stamp_closing(self, _key: str, state: str) -> str:
        if state == AppealState.CLOSED and (self.state != AppealState.CLOSED or not self.closed_at):
            self.closed_at = utcnow()
        elif state != AppealState.CLOSED:
            self.closed_at = None
        return state

    @property
    def accepts_signatures(self) -> bool:
        return self.state == AppealState.OPEN

    @property
    def letters_allowed(self) -> bool:
        """Paused and draft appeals send, export and print nothing."""
        return self.state in (AppealState.OPEN, AppealState.CLOSED)


class CasePerson(Base):
    """A person the appeal is about."""

    __tablename__ = "case_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")

    appeal: Mapped[Appeal] = relationship(back_populates="people")


class Charge(Base):
    """A charge under a named article of a code, optionally against one person of the case."""

    __tablename__ = "charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("case_people.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(200))
    article: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(300))

    appeal: Mapped[Appeal] = relationship(back_populates="charges")
    person: Mapped[CasePerson | None] = relationship()


class CaseEvent(Base):
    """A dated step of the case (hearing, verdict, release…); public ones form the timeline."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    date: Mapped[date]
    # How much of `date` is known: "day", "month" or "year" ("April 2017" is stored as 2017-04-01
    # with "month"), so it is printed as recorded and never as a made-up first of the month.
    date_precision: Mapped[str] = mapped_column(String(5), default="day", server_default="day")
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    court: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    appeal: Mapped[Appeal] = relationship(back_populates="events")

    @property
    def date_text(self) -> str:
        """The date as recorded: "2017", "2017-04" or "2017-04-09"."""
        return {"year": f"{self.date:%Y}", "month": f"{self.date:%Y-%m}"}.get(
            self.date_precision or "day", self.date.isoformat())


class Source(Base):
    """A numbered footnote with its URL."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("appeal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))

    appeal: Mapped[Appeal] = relationship(back_populates="sources")


class Demand(Base):
    """A numbered demand addressed to one authority (optionally a directory post)."""

    __tablename__ = "demands"
    __table_args__ = (UniqueConstraint("appeal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    authority: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))

    appeal: Mapped[Appeal] = relationship(back_populates="demands")
    post: Mapped["Post | None"] = relationship()  # noqa: F821


class AppealRecipient(Base):
    """A post an appeal writes to, as To or Cc."""

    __tablename__ = "appeal_recipients"
    __table_args__ = (UniqueConstraint("appeal_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    role: Mapped[str] = mapped_column(String(4), default="to")
    position: Mapped[int] = mapped_column(default=0)

    appeal: Mapped[Appeal] = relationship(back_populates="recipients")
    post: Mapped["Post"] = relationship()  # noqa: F821
