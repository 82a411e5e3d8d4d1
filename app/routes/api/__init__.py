"""The JSON API, one module per resource: `auth`, `users`, `sessions`, `review`, `exports`."""
