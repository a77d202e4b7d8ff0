"""Event payload contracts, one module per producing service.

Consumers validate what they receive against these, so contracts live in the
kernel: services never import each other.
"""
