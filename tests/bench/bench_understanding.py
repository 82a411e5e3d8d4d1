"""Benchmark of the buyer's understanding (issue 11) on the blind evaluation set.

    .venv/bin/python tests/bench/bench_understanding.py [FILE.jsonl ...]

Plays every natural question of corpus/understanding/test_{en,zh}.jsonl through the live
pipeline (classifier, reading, director) with each of the four styles, and prints, per level
and language, the unlock rate, the false-reveal rate and how often the parent could not be
put on the table; then per style; then the reading's latency per move. Targets: unlock
>= 0.85 for problem, implication and need-payoff questions in each language; false reveals
<= 0.05 for negatives; a reading well under a millisecond.
"""

import statistics
import sys
import time
from pathlib import Path

from app.domain.call.understanding import evaluate_understanding, format_understanding, parse_probes
from app.domain.reading.index import index_for
from app.domain.reading.reading import read
from app.main import load_offline_parts
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BLIND = [ROOT / "corpus" / "understanding" / f"test_{lang}.jsonl" for lang in ("en", "zh")]


def main() -> int:
    files = [Path(a) for a in sys.argv[1:]] or BLIND
    parts = load_offline_parts(Settings())
    probes = [p for f in files for p in parse_probes(f.read_text("utf-8").splitlines())]
    started = time.perf_counter()
    report = evaluate_understanding(probes, parts.catalog.scenarios, parts.rehearsal)
    elapsed = time.perf_counter() - started
    print(f"{len(probes)} probes x 4 styles from {', '.join(f.name for f in files)}")
    print(format_understanding(report))
    print(f"evaluation wall time: {elapsed:.1f} s")
    timings: list[float] = []
    for probe in probes:
        scenario = parts.catalog.scenarios[probe.scenario]
        index = index_for(scenario, parts.catalog.lexicon)
        tick = time.perf_counter()
        read(probe.text, index, focus=None)
        timings.append((time.perf_counter() - tick) * 1000)
    timings.sort()
    p99 = timings[int(0.99 * (len(timings) - 1))]
    print(f"reading per move: median {statistics.median(timings):.3f} ms, p99 {p99:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
