"""Accounts: who a user is and what they may do. `users` (users, cohorts, invite codes as the
rest of the product sees them), `access` (the pure predicates every API, page and websocket
asks, so each enforces one rule)."""
