"""All models, imported here so Alembic and the app see one metadata."""

from app.models.appeal import (
    Appeal,
    AppealRecipient,
    CaseEvent,
    CasePerson,
    Charge,
    Demand,
    Source,
)
from app.models.base import Base, utcnow
from app.models.delivery import (
    Delivery,
    DeliveryPolicy,
    DeliverySignature,
    OfficialReply,
    OutboxAttachment,
)
from app.models.directory import (
    ContactDetail,
    DirectoryChange,
    Membership,
    Organization,
    Person,
    Post,
)
from app.models.integrations import ApiKey, WebhookDelivery, WebhookEndpoint
from app.models.outbox import OutboxMessage
from app.models.partners import Partner, PendingReferral
from app.models.publicpage import AppealPhoto, PendingShareReferral, ShareCount
from app.models.ratelimit import RateLimitCounter
from app.models.signature import (
    Signature,
    SignatureDay,
    SignatureRecipient,
    SignatureTally,
    Token,
)
from app.models.statement import Cosigner, OrgSignature, Statement, StatementRecipient
from app.models.updates import CaseUpdate
from app.models.user import Group, User

__all__ = [
    "Appeal", "AppealRecipient", "Base", "CaseEvent", "CaseUpdate", "CasePerson", "Charge", "ContactDetail",
    "Demand", "DirectoryChange", "Group", "Membership", "Organization", "OutboxMessage", "Person",
    "Delivery", "DeliveryPolicy", "DeliverySignature", "OfficialReply", "OutboxAttachment",
    "Post", "RateLimitCounter", "Signature", "SignatureDay", "SignatureRecipient",
    "SignatureTally", "Source",
    "Token", "User", "utcnow",
    "Cosigner", "OrgSignature", "Statement", "StatementRecipient",
    "ApiKey", "WebhookDelivery", "WebhookEndpoint", "Partner", "PendingReferral",
    "AppealPhoto", "PendingShareReferral", "ShareCount",
]
