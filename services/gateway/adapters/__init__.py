"""The gateway's HTTP edge: the API's route table and dispatch, the pages, webhooks, OpenAPI."""
