"""The scorecard (DESIGN.md §5): a pure function of the labelled transcript and the
discovery state. `card` (the Scorecard and `score`), one module per component, each returning
a report, a ComponentScore and findings: `question_mix`, `sequence`, `discovery`, `pitching`
(with `pitch_tags`: features, advantages, benefits), `adaptation`, `listening`, `outcome`.
`points` (component points and the overall), `rubric` (every weight, with its evidence),
`finding` (what it says, as codes), `feedback` (codes → sentences), `coaching` (weakest turns
and better questions). Session extras: `plan` (pre-call plan), `drill`, `style_guess`;
`progress` (across sessions)."""
