"""Payments' use cases, one module per part: invoices, provider events, settlement, refunds, finance."""
