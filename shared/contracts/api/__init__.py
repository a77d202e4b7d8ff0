"""Request and response contracts of each service's RPC and HTTP API, one module per service.

The service loads and dumps with them (shared.edge), the gateway's routes declare
them, and the OpenAPI document is generated from the same classes: declared once.
"""
