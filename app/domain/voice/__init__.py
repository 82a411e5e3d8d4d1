"""The pure half of the buyer's voice (issue 13): `compose` (the scripted words for a
Direction, seeded, never restating a sentence of the call), `lead_in` (how lead-ins join what
they lead, and a sentence's core), `faithfulness` (whether a model's reply says only what its
Direction allows), `figures` (the numbers and names a text states), and `glitch` (a reader's
checks for the seams a scripted buyer must not show, used by tests and the benchmark)."""
