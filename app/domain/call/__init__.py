"""A call as data: `session` (a practice session and its stored turns), `real_call` (a real
call's pasted or CSV transcript read into turns), `replay` (rebuilding the discovery state
from a labelled transcript with the deterministic director, and the per-move seed)."""
