"""Surgery's use cases, one module per part of the stage, each taking a unit of work first.

scheduling (both facts arrived; a planner's schedule, reschedule, cancel), clinical_stay
(pre-op check to discharge), standing (the balance and disputes payments announced), erasure,
queries (the case and the operating calendar).
planning (booking a date), booking (the capacity rows) and cases (the case repository)
are what those use cases share.
"""
