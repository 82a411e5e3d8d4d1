"""HTML pages: `account` (sign-in, first run, registration, language, admin users, home),
`practice` (the call, its scorecard, progress), `review` (the trainer's desk and transcript
review), `tools` (analytics, scenario authoring, real-call analysis); `models` (typed view
models the templates read) and `charts` (SVG chart geometry)."""
