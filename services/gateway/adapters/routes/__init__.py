"""Route modules, one per area of the API; each registers with @route."""
