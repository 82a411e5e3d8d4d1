"""A fake OpenAI-compatible server: the one stand-in the tests use (STYLE.md §16)."""
