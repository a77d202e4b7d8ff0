"""The outside parties Carepath cannot reach locally, speaking their real protocols over HTTP."""
