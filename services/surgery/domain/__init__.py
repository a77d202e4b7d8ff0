"""Surgery's pure rules: the operating calendar (calendar.py) and a case's lifecycle (lifecycle.py)."""
