"""The buyer's voices behind the Voice port (DESIGN.md §2): `scripted` (the embedded default,
over the pure composition in app.domain.voice) and `llm` (an OpenAI-compatible model through
the ChatModel port)."""
