"""SMTP, templates and catalogs, calendar files, the sender loop, the local mailbox."""
