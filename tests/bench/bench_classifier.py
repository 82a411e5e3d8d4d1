"""Benchmark of the offline SPIN classifier on the held-out corpus (issue 4, part 5).

    .venv/bin/python tests/bench/bench_classifier.py [corpus/heldout.jsonl]

Prints overall and per-language macro-F1, per-label P/R/F1, the confusion matrix, median and
p99 latency per move, and the wall time of a fresh process that loads the model and
classifies 10,000 moves. Targets: macro-F1 >= 0.90 overall and >= 0.88 per language;
median <= 0.2 ms, p99 <= 2 ms; 10,000 moves in < 5 s including start-up.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from app.domain.classifier.evaluation import evaluate, format_report, parse_examples
from app.domain.classifier.model import load_bundled_classifier

ROOT = Path(__file__).resolve().parents[2]
MOVES_FOR_THROUGHPUT = 10_000

# Run in a fresh interpreter so the figure includes imports and loading the artifact.
_THROUGHPUT_PROGRAM = """
import json, sys, time
started = time.perf_counter()
from app.domain.classifier.model import load_bundled_classifier
texts = json.loads(sys.stdin.read())
classifier = load_bundled_classifier()
loaded = time.perf_counter()
count = int(sys.argv[1])
for i in range(count):
    classifier.classify(texts[i % len(texts)])
done = time.perf_counter()
print(json.dumps({"load_s": loaded - started, "classify_s": done - loaded}))
"""


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus" / "heldout.jsonl"
    examples = parse_examples(path.read_text(encoding="utf-8").splitlines())
    classifier = load_bundled_classifier()
    for example in examples[:50]:  # warm the caches so the first moves do not skew p99
        classifier.classify(example.text)
    report = evaluate(examples, classifier.classify, clock=time.perf_counter)
    print(f"held-out file: {path}")
    print(format_report(report))

    # Wall-clock latency includes waiting for a CPU on a shared machine; CPU time does not.
    cpu = evaluate(examples, classifier.classify, clock=time.process_time)
    print(
        f"CPU time per move (process_time): median {cpu.latency_median_ms:.3f} ms,"
        f" p99 {cpu.latency_p99_ms:.3f} ms"
    )

    texts = json.dumps([example.text for example in examples], ensure_ascii=False)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _THROUGHPUT_PROGRAM, str(MOVES_FOR_THROUGHPUT)],
        input=texts,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    total_s = time.perf_counter() - started
    figures = json.loads(completed.stdout)
    print()
    print(
        f"{MOVES_FOR_THROUGHPUT} moves in a fresh process: {total_s:.2f} s wall"
        f" (start-up and model load {figures['load_s']:.2f} s,"
        f" classification {figures['classify_s']:.2f} s)"
    )
    artifact = ROOT / "app" / "domain" / "classifier" / "spin_model.json"
    print(f"artifact: {artifact.stat().st_size / 1e6:.2f} MB")
    print(
        "summary: "
        + " ".join(
            [f"macro_f1={report.macro_f1:.3f}"]
            + [f"macro_f1_{lr.language.value}={lr.macro_f1:.3f}" for lr in report.by_language]
            + [
                f"median_ms={report.latency_median_ms:.3f}",
                f"p99_ms={report.latency_p99_ms:.3f}",
                f"throughput_10k_s={total_s:.2f}",
            ]
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
