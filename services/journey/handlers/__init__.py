"""Use cases of the journey service: project every fact, read the projection, coordinate erasure."""
