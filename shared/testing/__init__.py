"""Test support against the real broker and databases (used by every test suite)."""
