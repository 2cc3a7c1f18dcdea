"""HTTP API and dashboard (`waqai serve`)."""
