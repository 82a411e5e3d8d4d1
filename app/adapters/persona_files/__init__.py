"""Persona files (DESIGN.md §3): YAML under personas/ read into domain objects, validated with
errors that name the file and the field. `styles`, `scenarios` (and the catalogue of shipped
and authored scenarios), `feedback` (the scorecard's message catalogue)."""
