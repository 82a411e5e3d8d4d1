"""The offline SPIN classifier (DESIGN.md §4): text (+ context) → Label. `model` (the linear
model read from `spin_model.json`, plus kind/open rules), `features` (normalisation and
n-grams, shared with training), `cues` (the hard-pair cue layer, SPIN.md §1), `question_form`
(question or statement, open or closed), `evaluation` (P/R/F1, confusion, latency for
`spin-practice eval`), `agreement` (Cohen's kappa against trainers' corrections)."""
