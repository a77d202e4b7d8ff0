"""The local payment provider, in Stripe's model (see sandboxes/payment_provider/app.py)."""
