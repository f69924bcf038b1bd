"""Coordinator downloads of letters and print batches."""
from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/coordinator/letters")
