"""Forms of the sign-on page and of the coordinator's statement pages."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms_common import country_select_choices, deliverable_email, no_control_characters, strip_filter
from app.statements.identity import host_of, registrable_domain
from app.statements.rendering import StatementTemplateError, check_template
from app.text import FORMULA_PREFIXES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words of the public URLs under /statements/ that a slug would shadow.
RESERVED_SLUGS = {"confirm", "withdraw", "cosign", "new"}
STATE_LABELS = {"collecting": _l("collecting"), "closed": _l("closed"), "sent": _l("sent")}
STATUS_LABELS = {"unconfirmed": _l("unconfirmed"), "awaiting": _l("awaiting review"),
                 "clarification": _l("clarification asked"), "approved": _l("approved"),
                 "rejected": _l("rejected"), "withdrawn": _l("withdrawn")}


def no_formula_start(form, field) -> None:  # noqa: ANN001
    """Free text that reaches exports may not start like a spreadsheet formula."""
    if field.data and field.data.startswith(FORMULA_PREFIXES):
        raise ValidationError(_("Start with a letter or a digit, not = + - or @."))


class OrgSignForm(FlaskForm):
    org_name = StringField(
        _l("Organisation name"), filters=[strip_filter],
        validators=[DataRequired(_l("Please enter the organisation's name.")), Length(max=300),
                    no_control_characters, no_formula_start],
    )
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Please choose the country."))])
    org_website = StringField(
        _l("Website"), filters=[strip_filter],
        validators=[Optional(), Length(max=300), no_control_characters],
    )
    description = TextAreaField(
        _l("Short description of the organisation (optional, seen by the coordinators)"),
        filters=[strip_filter], validators=[Optional(), Length(max=600)],
    )
    contact_name = StringField(
        _l("Contact person's name"), filters=[strip_filter],
        validators=[DataRequired(_l("Please enter the contact person's name.")), Length(max=200),
                    no_control_characters],
    )
    contact_role = StringField(
        _l("Contact person's role in the organisation"), filters=[strip_filter],
        validators=[DataRequired(_l("Please enter the contact person's role.")), Length(max=200),
                    no_control_characters],
    )
    contact_email = StringField(
        _l("Contact e-mail (never published; we send one confirmation link)"), filters=[strip_filter],
        validators=[DataRequired(_l("Please enter the contact e-mail address.")), Length(max=254),
                    no_control_characters, deliverable_email],
    )
    anonymous = BooleanField(
        _l("Sign anonymously as \"an organisation in <country>\": the name is never published nor "
           "sent, only the coordinators know it"))
    consent = BooleanField(
        _l("We agree that our organisation is listed among the signatories"),
        validators=[DataRequired(_l("The organisation must agree to be listed to sign."))],
    )
    # Honeypot: hidden by CSS, a bot fills it in; a person never sees it.
    website = StringField(_l("Leave this field empty"))

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.country.choices = country_select_choices(_("Choose…"))

    def validate_org_website(self, field) -> None:  # noqa: ANN001
        if field.data and registrable_domain(host_of(field.data)) is None:
            raise ValidationError(_("This is not a web address (for example adilsoz.kz)."))


class CosignForm(FlaskForm):
    # Own ids: it shares the statement page with the organisations' form (country, consent, …).
    name = StringField(
        _l("Your name"), id="cosign-name", filters=[strip_filter],
        validators=[DataRequired(_l("Please enter your name.")), Length(max=200),
                    no_control_characters, no_formula_start],
    )
    email = StringField(
        _l("E-mail (never published; we send one confirmation link)"), id="cosign-email",
        filters=[strip_filter],
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254),
                    no_control_characters, deliverable_email],
    )
    country = SelectField(_l("Country"), id="cosign-country",
                          validators=[DataRequired(_l("Please choose your country."))])
    affiliation = StringField(
        _l("Affiliation or title (optional)"), id="cosign-affiliation", filters=[strip_filter],
        validators=[Optional(), Length(max=300), no_control_characters, no_formula_start],
    )
    consent = BooleanField(
        _l("I agree that my name and country are listed among the individual signatories"),
        id="cosign-consent", validators=[DataRequired(_l("You must agree to be listed to co-sign."))],
    )
    website = StringField(_l("Leave this field empty"), id="cosign-website")

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.country.choices = country_select_choices(_("Choose…"))


class ButtonForm(FlaskForm):
    """A button-only POST (confirm, withdraw, state changes), for CSRF."""


class StatementForm(FlaskForm):
    appeal = SelectField(_l("Appeal"), validators=[DataRequired(_l("Choose the appeal."))])
    title = StringField(
        _l("Title"), filters=[strip_filter],
        validators=[DataRequired(_l("Please give the statement a title.")), Length(max=300),
                    no_control_characters],
    )
    slug = StringField(
        _l("Address (slug: lower-case letters, digits and hyphens)"), filters=[strip_filter],
        validators=[DataRequired(_l("Please give the statement an address.")), Length(max=80)],
    )
    intro = TextAreaField(
        _l("Introduction on the sign-on page (not in the letter)"), filters=[strip_filter],
        validators=[Optional(), Length(max=5000)],
    )
    text = TextAreaField(
        _l("Text of the letter (a letter template, see below)"), filters=[strip_filter],
        validators=[DataRequired(_l("Please write the text of the statement.")), Length(max=50000)],
    )
    deadline = DateTimeLocalField(
        _l("Sign-on deadline (UTC, optional)"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
    )
    allow_individuals = BooleanField(_l("Individuals may co-sign (listed apart from organisations)"))
    to_posts = SelectMultipleField(_l("To"), coerce=int)
    cc_posts = SelectMultipleField(_l("Cc"), coerce=int)

    def __init__(self, *args, appeal_choices=(), post_choices=(), slug_taken=None, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.appeal.choices = [SelectChoice(value, label) for value, label in appeal_choices]
        self.to_posts.choices = [SelectChoice(value, label) for value, label in post_choices]
        self.cc_posts.choices = list(self.to_posts.choices)
        self._slug_taken = slug_taken or (lambda _slug: False)

    def validate_slug(self, field) -> None:  # noqa: ANN001
        if not SLUG.match(field.data or ""):
            raise ValidationError(_("Use lower-case letters, digits and single hyphens only."))
        if field.data in RESERVED_SLUGS:
            raise ValidationError(_("\"%(slug)s\" is reserved; choose another address.", slug=field.data))
        if self._slug_taken(field.data):
            raise ValidationError(_("Another statement already has this address."))

    def validate_text(self, field) -> None:  # noqa: ANN001
        try:
            check_template(field.data or "")
        except StatementTemplateError as error:
            raise ValidationError(_("The text is not a valid template. %(error)s", error=error)) from None

    def validate_to_posts(self, field) -> None:  # noqa: ANN001
        if not field.data:
            raise ValidationError(_("Choose at least one recipient (To)."))

    def validate_cc_posts(self, field) -> None:  # noqa: ANN001
        both = set(field.data or ()) & set(self.to_posts.data or ())
        if both:
            raise ValidationError(_("A recipient cannot be both To and Cc."))


class ModerationForm(FlaskForm):
    """Approve, reject with a reason, or ask for clarification with a message."""

    action = SelectField(_l("Decision"), choices=[
        SelectChoice("approve", _l("Approve: list the organisation")),
        SelectChoice("reject", _l("Reject (the reason is e-mailed to the contact)")),
        SelectChoice("clarify", _l("Ask for clarification (the message is e-mailed to the contact)")),
    ], validators=[DataRequired(_l("Choose a decision."))])
    message = TextAreaField(
        _l("Reason or question for the contact"), filters=[strip_filter],
        # No Optional(): it would stop the chain before validate_message on an empty message.
        validators=[Length(max=4000)],
    )

    def validate_message(self, field) -> None:  # noqa: ANN001
        if self.action.data == "reject" and not field.data:
            raise ValidationError(_("Give the reason for the rejection: the contact receives it."))
        if self.action.data == "clarify" and not field.data:
            raise ValidationError(_("Write the question for the contact."))


class BulkApproveForm(FlaskForm):
    selected = SelectMultipleField(_l("Signatures"), coerce=int)

    def validate_selected(self, field) -> None:  # noqa: ANN001
        if not field.data:
            raise ValidationError(_("Tick at least one signature to approve."))


class StateForm(FlaskForm):
    action = SelectField(_l("Change"), choices=[
        SelectChoice("close", _l("Close the sign-on")), SelectChoice("reopen", _l("Reopen the sign-on")),
        SelectChoice("sent", _l("Mark as sent")),
    ])
