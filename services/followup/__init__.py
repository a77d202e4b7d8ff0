"""Tele-follow-up: remote check-ups, imaging into the patient file, specialist assessment."""
