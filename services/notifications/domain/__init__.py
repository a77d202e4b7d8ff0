"""What a good clinic tells its patient, and when (plain Python)."""
