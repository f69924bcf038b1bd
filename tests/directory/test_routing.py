"""route(post, purpose, on_date): who holds the post, which channel, which address, and why not."""

from __future__ import annotations

from datetime import date

from app.directory.routing import (
    Channel,
    HolderKind,
    Purpose,
    appeal_recipients,
    print_route,
    route,
    summarise,
)
from app.models import AppealRecipient
from tests.builders import make_appeal, make_post

ON = date(2024, 5, 1)


def test_each_purpose_takes_its_first_channel_in_order_of_preference(db):
    post = make_post(contacts=[("address", "Mangilik El 8"), ("fax", "+77172740000"),
                               ("web", "https://gov.example.kz/form"), ("email", "m@gov.example")])
    assert route(post, Purpose.SUPPORTER_LETTER, ON).channel == Channel.EMAIL
    assert route(post, Purpose.SERVICE_DELIVERY, ON).channel == Channel.EMAIL
    assert route(post, Purpose.PRINT_BATCH, ON).channel == Channel.POST
    # The service may not e-mail or fax for this appeal: the web form comes next.
    narrowed = route(post, Purpose.SERVICE_DELIVERY, ON, allowed={"web", "post"})
    assert narrowed.channel == Channel.WEB and narrowed.value == "https://gov.example.kz/form"
    assert dict(narrowed.passed_over) == {Channel.EMAIL: "not allowed for this appeal",
                                          Channel.FAX: "not allowed for this appeal"}


def test_a_route_says_why_not_when_no_channel_fits(db):
    web_only = make_post(slug="state-dept", contacts=[("web", "https://state.example/form")])
    email_only = make_post(slug="pace", contacts=[("email", "pace@coe.example")])
    nothing = make_post(slug="coe-sg", contacts=[])
    assert route(web_only, Purpose.PRINT_BATCH, ON).reason == "web-form-only"
    assert route(email_only, Purpose.PRINT_BATCH, ON).why_not.startswith("reachable only by e-mail")
    assert route(nothing, Purpose.SUPPORTER_LETTER, ON).why_not == "no contact detail at all"
    assert route(web_only, Purpose.SUPPORTER_LETTER, ON).channel == Channel.WEB


def test_holder_kind_tells_person_vacant_and_collective_apart(db):
    held = make_post(contacts=[("address", "A")])
    vacant = make_post(slug="vacant", holder=None, contacts=[("address", "B")])
    body = make_post(slug="committee", holder=None, contacts=[("address", "C")])
    body.collective = True
    assert route(held, Purpose.PRINT_BATCH, ON).holder_kind == HolderKind.PERSON
    assert route(vacant, Purpose.PRINT_BATCH, ON).holder_kind == HolderKind.VACANT
    assert route(body, Purpose.PRINT_BATCH, ON).to_office
    # Before the holder took office the post was vacant on that date.
    assert route(held, Purpose.PRINT_BATCH, date(2010, 1, 1)).holder_kind == HolderKind.VACANT


def test_print_route_skips_what_the_service_sends_itself(db, app):
    post = make_post(contacts=[("email", "m@gov.example"), ("address", "Mangilik El 8")])
    assert print_route(post, ON).channel == Channel.POST
    skipped = print_route(post, ON, allowed_service={"email", "post", "web"})
    assert skipped.channel is None and skipped.why_not == "the service sends it by e-mail (outbox)"


def test_the_recipient_list_is_to_first_then_cc_each_in_the_coordinators_order(db):
    first, second, third = (make_post(slug=s) for s in ("p-a", "p-b", "p-c"))
    appeal = make_appeal(posts=[first])
    appeal.recipients[0].role = "cc"
    appeal.recipients.append(AppealRecipient(post=third, role="to", position=5))
    appeal.recipients.append(AppealRecipient(post=second, role="to", position=2))
    db.session.commit()
    assert [r.post.slug for r in appeal_recipients(appeal)] == ["p-b", "p-c", "p-a"]


def test_summary_groups_by_channel_and_names_what_was_skipped(db):
    routes = [route(make_post(slug="a", label="A", contacts=[("address", "x")]), "print_batch", ON),
              route(make_post(slug="b", label="B", holder=None, contacts=[]), "print_batch", ON)]
    summary = summarise(routes)
    assert summary.by_channel == {"post": ["A"]}
    assert summary.skipped == [("B", "no contact detail at all")]
    assert summary.lines() == ["post: 1 (A)", "skipped B: no contact detail at all",
                               "warning B: no named holder, addressed to the office"]
