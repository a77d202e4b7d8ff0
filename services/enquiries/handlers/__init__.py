"""Use cases of the enquiries service: one function per thing staff, patients or events ask for."""
