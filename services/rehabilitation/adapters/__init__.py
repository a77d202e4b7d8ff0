"""Rehabilitation talks to nothing outside its own database and broker: no adapters."""
