"""How the buyer reads (issue 13): plays a fixed set of simulated calls, every scenario x style
x language, with the scripted voice and the offline classifier, twice each with different
seeds, and prints

- the verbatim repeat rate: buyer sentences identical (lead-ins aside) to an earlier one of
  the same call;
- glitches found by app/domain/voice/glitch.py, by kind;
- the distinct-sentence ratio across the two calls of a scenario and style: the share of the
  second call's buyer sentences that the first call did not say;
- the tic rate: replies that open with a filler lead-in.

With `--llm` (or when `make test-llm` built .venv-llm), it also plays short calls through
the LLM voice against the local model and prints the faithfulness violations caught,
replies regenerated and replies replaced by the scripted words. Usage:
`python tests/bench/bench_voice.py [--llm] [--samples]`."""

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain.language import Language  # noqa: E402
from app.domain.scenario import Scenario  # noqa: E402
from app.domain.style import StyleName  # noqa: E402
from app.domain.transcript import Role, Turn  # noqa: E402
from app.domain.voice.glitch import CallReader, Glitch, GlitchKind, wrong_pronouns  # noqa: E402
from app.domain.voice.lead_in import split_sentences  # noqa: E402
from app.main import OfflineParts, load_offline_parts  # noqa: E402
from app.services.simulation import simulate  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.bench.harness import emit_json  # noqa: E402
from tests.support.voice_calls import moves_for  # noqa: E402

SEEDS = (11, 29)


@dataclass
class Tally:
    calls: int = 0
    replies: int = 0
    sentences: int = 0
    repeats: int = 0
    tic_replies: int = 0
    glitches: Counter[str] = field(default_factory=Counter)
    examples: list[Glitch] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


def buyer_sentences(turns: Sequence[Turn]) -> list[str]:
    return [s for t in turns if t.role is Role.BUYER for s in split_sentences(t.text)]


async def play(
    parts: OfflineParts, scenario: Scenario, style: StyleName, language: Language, seed: int
) -> tuple[list[Turn], list[str]]:
    result = simulate(
        moves_for(scenario, language),
        scenario=scenario,
        style=style,
        language=language,
        cast=parts.catalog.cast,
        classifier=parts.classifier,
        scoring=parts.scoring,
        seed=seed,
    )
    feedback = [line.text for line in parts.scoring.explain(result.scorecard)]
    return result.turns, feedback


async def scripted(parts: OfflineParts, tally: Tally, samples: bool) -> None:
    for scenario in parts.catalog.scenarios.values():
        for style in StyleName:
            for language in Language:
                reader = CallReader(scenario, parts.catalog.styles[style], language)
                calls = []
                for seed in SEEDS:
                    turns, feedback = await play(parts, scenario, style, language, seed)
                    calls.append(turns)
                    found = reader.glitches(turns)
                    found += [
                        Glitch(kind=GlitchKind.PRONOUN, seq=-1, text=t)
                        for t in wrong_pronouns(feedback, scenario.account.gender)
                    ]
                    _count(tally, reader, turns, found)
                    if samples and seed == SEEDS[0] and style is StyleName.EXPRESSIVE:
                        _print_call(scenario, style, language, turns)
                first = set(buyer_sentences(calls[0]))
                second = buyer_sentences(calls[1])
                tally.ratios.append(sum(s not in first for s in second) / max(1, len(second)))


def _count(tally: Tally, reader: CallReader, turns: Sequence[Turn], found: list[Glitch]) -> None:
    tally.calls += 1
    buyer = [t for t in turns if t.role is Role.BUYER]
    tally.replies += len(buyer)
    tally.sentences += sum(len(split_sentences(t.text)) for t in buyer)
    for glitch in found:
        if glitch.kind is GlitchKind.REPEAT:
            tally.repeats += 1
        else:
            tally.glitches[glitch.kind.value] += 1
            if len(tally.examples) < 12:
                tally.examples.append(glitch)
    for turn in buyer[1:]:
        first = split_sentences(turn.text)[:1]
        if first and (first[0] in reader.tics or any(first[0].startswith(t) for t in reader.tics)):
            tally.tic_replies += 1


def _print_call(
    scenario: Scenario, style: StyleName, language: Language, turns: Sequence[Turn]
) -> None:
    print(f"--- {scenario.id} / {style} / {language}")
    for turn in turns:
        print(f"  {turn.role.value:>7}: {turn.text}")


def report(tally: Tally) -> dict[str, object]:
    mean_ratio = sum(tally.ratios) / max(1, len(tally.ratios))
    figures: dict[str, object] = {
        "calls": tally.calls,
        "buyer_replies": tally.replies,
        "buyer_sentences": tally.sentences,
        "verbatim_repeats": tally.repeats,
        "verbatim_repeat_rate": round(tally.repeats / max(1, tally.sentences), 4),
        "glitches": sum(tally.glitches.values()),
        "glitches_by_kind": dict(sorted(tally.glitches.items())),
        "distinct_ratio_mean": round(mean_ratio, 3),
        "distinct_ratio_min": round(min(tally.ratios, default=0.0), 3),
        "tic_rate": round(tally.tic_replies / max(1, tally.replies - tally.calls), 3),
    }
    print(f"calls played            {tally.calls} ({len(tally.ratios)} pairs)")
    print(f"buyer sentences         {tally.sentences}")
    print(f"verbatim repeats        {tally.repeats} (rate {figures['verbatim_repeat_rate']})")
    print(f"checker glitches        {figures['glitches']} {figures['glitches_by_kind']}")
    for glitch in tally.examples:
        print(f"    {glitch.kind.value:<14} turn {glitch.seq}: {glitch.text[:110]}")
    print(f"distinct-sentence ratio mean {mean_ratio:.3f}, min {figures['distinct_ratio_min']}")
    print(f"replies opening with a filler lead-in: {figures['tic_rate']}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--llm", action="store_true", help="also play calls on the local model")
    parser.add_argument("--samples", action="store_true", help="print one call per pair")
    args = parser.parse_args()
    parts = load_offline_parts(Settings())
    tally = Tally()
    asyncio.run(scripted(parts, tally, args.samples))
    figures = report(tally)
    llm_python = ROOT / ".venv-llm" / "bin" / "python"
    if args.llm or (ROOT / ".venv-llm" / ".ready").exists():
        from tests.bench.bench_voice_llm import run_llm_calls

        figures["llm"] = run_llm_calls(llm_python)
    emit_json(figures)


if __name__ == "__main__":
    main()
