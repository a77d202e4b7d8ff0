"""Page handlers, registered with services.gateway.adapters.ui.page."""
