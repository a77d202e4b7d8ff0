"""Stage 1 of the journey: enquiries, pre-screening, screening and the acceptance decision."""
