"""The local travel agency: bookings over HTTP, signed webhooks back (see sandboxes/travel_agency/app.py)."""
