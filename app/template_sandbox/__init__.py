"""Coordinator-written Jinja templates (letter bodies, requests, statement texts), compiled and
rendered in a sandbox with hard bounds and an isolated child process. Below every area that
uses it (letters, appeals' file schema, statements), so none of them import each other for it."""
