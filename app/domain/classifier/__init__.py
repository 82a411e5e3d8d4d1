"""The offline SPIN classifier (DESIGN.md §4): text (+ context) → Label. `model` (the linear
model read from `spin_model.json`, calibrated by a temperature, plus kind/open rules and
compound moves), `features` (normalisation and n-grams, shared with training), `cues` (the
hard-pair cue layer, SPIN.md §1, and what a buyer's admission sounds like), `context` (what
the buyer's last turn and the problem on the table add), `question_form` (question or
statement, open or closed, a question and its statement part), `evaluation` (P/R/F1,
confusion, latency, per language and per source for `spin-practice eval`), `agreement`
(Cohen's kappa against trainers' corrections)."""
