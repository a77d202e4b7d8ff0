"""The enquiries API: the public forms (forms), what staff and patients send (commands),
and what the service answers (views). The service loads and dumps with these; the
gateway's routes declare the same classes."""
