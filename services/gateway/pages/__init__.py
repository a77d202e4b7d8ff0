"""Page handlers, registered with services.gateway.ui.page."""
