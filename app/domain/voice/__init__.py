"""The pure half of the scripted voice: `compose` (the words of a reply for a Direction, from
the scenario's authored lines and the style's phrasing, seeded, never repeating a sentence)."""
