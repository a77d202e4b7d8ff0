"""What the journey hands to the outside world: the FHIR export of a journey (adapters/fhir)."""
