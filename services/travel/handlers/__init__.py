"""Travel's use cases: planning from surgery events, bookings, agency events and replies, the desk."""
