"""What travel talks to besides its own database and broker: the agency's HTTP API, and the timer."""
