"""Reading a move (DESIGN.md §2, step 0): which scenario items a trainee move is about.
`topics` (bilingual cue matching: stemmed English tokens, Chinese character bigrams)."""
