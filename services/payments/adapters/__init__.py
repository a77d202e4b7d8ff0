"""Payments' outside world: the payment provider's HTTP client, and the background event processor."""
