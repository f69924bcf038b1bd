"""Signed webhooks (HMAC-SHA256) for new confirmed signatures, with retries (docs/api.md)."""
