"""Closed vocabularies stored as short strings."""

from enum import StrEnum


class AppealState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class AppealOutcome(StrEnum):
    """How a closed appeal's case ended."""

    RELEASED = "released"
    SENTENCE_REDUCED = "sentence_reduced"
    CASE_DROPPED = "case_dropped"
    NO_CHANGE = "no_change"


class PersonRole(StrEnum):
    JOURNALIST = "journalist"
    BLOGGER = "blogger"
    ACTIVIST = "activist"
    TRADE_UNIONIST = "trade_unionist"
    HUMAN_RIGHTS_DEFENDER = "human_rights_defender"
    OTHER = "other"


class CaseStatus(StrEnum):
    IMPRISONED = "imprisoned"
    SUSPENDED_SENTENCE = "suspended_sentence"
    RESTRICTED_FREEDOM = "restricted_freedom"
    ON_TRIAL = "on_trial"
    PSYCHIATRIC_DETENTION = "psychiatric_detention"
    ABROAD_AT_RISK = "abroad_at_risk"
    RELEASED = "released"


class EventKind(StrEnum):
    ARREST = "arrest"
    CHARGE = "charge"
    HEARING = "hearing"
    VERDICT = "verdict"
    APPEAL_REJECTED = "appeal_rejected"
    APPEAL = "appeal"
    RELEASE = "release"
    REPLY_RECEIVED = "reply_received"
    OTHER = "other"


class RecipientRole(StrEnum):
    TO = "to"
    CC = "cc"


class PublicDisplay(StrEnum):
    """How a signer's name appears on the public page; NONE is the default."""

    NONE = "none"
    INITIALS = "initials"
    FULL = "full"


class LetterInclusion(StrEnum):
    """Whether a signer's name goes into letters to officials; COUNT_ONLY is the default."""

    COUNT_ONLY = "count_only"
    NAME_COUNTRY = "name_country"


class SignatureStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SUSPECT = "suspect"


class TokenPurpose(StrEnum):
    CONFIRM_SIGNATURE = "confirm_signature"
    UNSUBSCRIBE = "unsubscribe"
    CONFIRM_ORG_SIGNATURE = "confirm_org_signature"
    WITHDRAW_ORG_SIGNATURE = "withdraw_org_signature"
    # The signer's private link: shows and deletes what is stored about them (app/sealing/own.py).
    SIGNER_OWN_PAGE = "signer_own_page"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class ContactType(StrEnum):
    ADDRESS = "address"
    FAX = "fax"
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"


class UserRole(StrEnum):
    COORDINATOR = "coordinator"
    STAFF = "staff"
    ADMIN = "admin"
