"""The follow-up rules (JOURNEY.md stage 6), plain Python: no I/O, the clock passed in."""
