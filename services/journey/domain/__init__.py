"""The journey's rules, in plain Python: order facts, fold them, judge stalls, word them."""
