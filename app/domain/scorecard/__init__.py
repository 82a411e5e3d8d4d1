"""The scorecard (DESIGN.md §5): a pure function of the labelled transcript and the
discovery state. `card` (the Scorecard and `score`), and one module per component, each an
`assess_*(facts) -> Assessed[Report]`: `question_mix`, `sequence`, `discovery`, `pitching`
(with `pitch_tags`: features, advantages, benefits), `adaptation`, `listening`, `outcome`.
`facts` (what every component reads, and the one shape they return), `moves` (the trainee's
labelled moves), `points` (component points and the overall), `rubric` (every weight, with
its evidence), `finding` (what it says, as codes), `feedback` (codes → sentences), `coaching`
(weakest turns and better questions). Session extras: `extras` with `plan`, `drill`,
`style_guess`. Across calls: `progress` and `cohort`. A real call kept with its card:
`analysis`."""
