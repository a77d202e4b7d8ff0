"""Payments' pure rules: pricing, the ledger of an invoice, the refund policy, provider events read."""
