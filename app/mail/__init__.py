"""Building and sending e-mail with the standard library. Imports no domain area: the outbox
(storage, claiming, results) lives in app.delivery and calls into this package, never the reverse."""
