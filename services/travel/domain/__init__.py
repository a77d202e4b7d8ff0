"""Travel's pure rules: what to book for a surgery plan (itinerary) and how to retry the agency."""
