"""Coordinator UI for the recipient directory."""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/coordinator/directory")
