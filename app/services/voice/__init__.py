"""The buyer's voices behind the Voice port (DESIGN.md §2): `scripted` (the embedded default,
over the pure composition in app.domain.voice), `llm` (an OpenAI-compatible model through the
ChatModel port, guarded: `guard` holds each sentence back until it is checked), and `speech`
(a voice's stream settled to the reply it stands for)."""
