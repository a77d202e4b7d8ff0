"""Drive sample patients through the whole journey over the HTTP API, as people would.

The demo (`python -m ops demo`), the end-to-end tests and the fault tests share
this driver. The public fills in the form, staff sign in with their role, the
payment sandbox pays, and the simulated clinic clock moves forward to the day
each step happens on. A step that causes a reaction elsewhere waits for what a
user would see next (a gateway view), so it returns once the system has reacted.
Sample data only: no real person's name, address or health.
"""
from ops.journeys.api import Api, StepFailed
from ops.journeys.driver import JourneyDriver
from ops.journeys.sample import Clock, Patient, answers_for, ensure_staff, sample_form, staff_credentials

__all__ = ["Api", "Clock", "JourneyDriver", "Patient", "StepFailed", "answers_for", "ensure_staff",
           "sample_form", "staff_credentials"]
