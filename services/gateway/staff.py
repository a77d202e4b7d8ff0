"""Kept for the operator CLI and tests written before accounts moved to handlers/accounts.py."""
from services.gateway.handlers.accounts import create_user

__all__ = ["create_user"]
