"""The gateway's own rules: roles, and how sign-in guessing is slowed down."""
