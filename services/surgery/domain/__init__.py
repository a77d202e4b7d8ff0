"""Surgery's pure rules: the operating calendar (calendar.py), a case's lifecycle (lifecycle.py)
and the payment standing a surgery rests on (standing.py)."""
