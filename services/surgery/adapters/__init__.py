"""The surgery service talks to nothing outside its own database and the broker: no adapters."""
