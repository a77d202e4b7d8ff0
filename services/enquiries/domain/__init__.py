"""The enquiry stage's rules, in plain Python: no I/O, today's date always passed in."""
