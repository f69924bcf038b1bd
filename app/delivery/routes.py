"""Delivery log, replies and timeline (coordinators), and the supporter's own channels (public)."""
from flask import Blueprint

bp = Blueprint("delivery", __name__, url_prefix="/coordinator/delivery")
public_bp = Blueprint("channels", __name__)
