"""What signing tells the rest of the service, without knowing who listens.

`signature_confirmed` is sent inside the confirmation's transaction (before the commit), so what
a receiver writes (a partner's count, webhook events) stands or falls with the confirmation.
Receivers are connected in the composition root (app/__init__.py), which keeps signing free of
imports of the partners and webhooks areas.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the confirmed Signature as sender.
signature_confirmed = _signals.signal("signature-confirmed")
