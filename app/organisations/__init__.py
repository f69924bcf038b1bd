"""Organisations (groups) that run appeals: their letterhead details and logo."""
