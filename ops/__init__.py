"""Operator tooling: the run command and the carepath CLI."""
