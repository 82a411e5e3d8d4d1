"""Turn written sales dialogues (Markdown) into labelled seller moves (JSONL), mechanically.

    .venv/bin/python scripts/dialogue_corpus.py corpus/train_calls_dialogues.md \\
        corpus/train_calls.jsonl

A dialogue starts with `## <id>: <notes>`; the id starts with `en-` or `zh-` (the language).
`B: text` is a buyer turn; `S <label>: text` a seller move, `<label>` one of situation,
problem, implication, need_payoff or other/<move>. Each seller move becomes one line with
`text`, `label`, `move` (for other), `lang`, `context` (the buyer turn just before it, "" when
the seller spoke last or opens the call) and `source` (`dialogue:<id>`). Other lines are
ignored. Exits 1 with the line number on a malformed move or a duplicate text.
"""

import json
import re
import sys
from pathlib import Path

_HEADER = re.compile(r"^## ((?:en|zh)-[\w-]+):")
_BUYER = re.compile(r"^B: (.+)$")
_SELLER = re.compile(r"^S (situation|problem|implication|need_payoff|other/\w+): (.+)$")
_MOVES = {"pitch", "rapport", "summary", "commitment", "other"}


def convert(lines: list[str]) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    seen: set[str] = set()
    dialogue = ""
    context = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if header := _HEADER.match(line):
            dialogue, context = header.group(1), ""
        elif buyer := _BUYER.match(line):
            context = buyer.group(1).strip()
        elif line.startswith("S "):
            seller = _SELLER.match(line)
            if seller is None or not dialogue:
                raise ValueError(f"line {number}: malformed seller move")
            label, _, move = seller.group(1).partition("/")
            if label == "other" and move not in _MOVES:
                raise ValueError(f"line {number}: unknown move {move!r}")
            text = seller.group(2).strip()
            if text in seen:
                raise ValueError(f"line {number}: duplicate text")
            seen.add(text)
            record = {"text": text, "label": label}
            if move:
                record["move"] = move
            record |= {"lang": dialogue[:2], "context": context, "source": f"dialogue:{dialogue}"}
            records.append(record)
            context = ""
    return records


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    try:
        records = convert(source.read_text(encoding="utf-8").splitlines())
    except ValueError as error:
        print(f"{source}: {error}", file=sys.stderr)
        return 1
    target.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    print(f"{len(records)} seller moves written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
