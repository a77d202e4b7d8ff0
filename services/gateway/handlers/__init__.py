"""The gateway's use cases: signing in, staff accounts, patient links, the access log."""
