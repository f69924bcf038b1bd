"""Organisational sign-on statements: public sign-on pages and coordinator moderation."""
from flask import Blueprint

bp = Blueprint("statements", __name__, url_prefix="/coordinator/statements")
public_bp = Blueprint("statement_public", __name__)
