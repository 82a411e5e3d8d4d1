"""The LLM voice on the local model (SmolLM2-135M via llama.cpp's server, from .venv-llm):
short calls, the offline classifier and the director deciding, LlmVoice speaking through the
faithfulness guard. Returns (and prints) the violations caught, replies regenerated and
replies replaced by the scripted words. Called by bench_voice.py when the model is built."""

import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.prompt_files import FilePromptLibrary
from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import MoveContext
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.faithfulness import locked_texts
from app.domain.voice.verdict import GuardOutcome
from app.main import load_offline_parts
from app.services.ports import Spoken
from app.services.voice.llm import LlmVoice
from app.services.voice.scripted import ScriptedVoice
from app.settings import Settings
from tests.llm.local_model import MODEL_ALIAS, LocalModel
from tests.support.paths import PROMPTS
from tests.support.voice_calls import moves_for

SCENARIOS = ("plant-operators", "pharma-key-account")
MOVES_PER_CALL = 5


async def _calls(url: str) -> tuple[dict[str, object], list[str]]:
    parts = load_offline_parts(Settings())
    chat = OpenAIChatModel(
        base_url=url, api_key="local", model=MODEL_ALIAS, timeout_s=300, max_retries=0
    )
    voice = LlmVoice(
        chat=chat, prompts=FilePromptLibrary(PROMPTS), fallback=ScriptedVoice(parts.catalog.styles)
    )
    outcomes: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    seconds: list[float] = []
    samples: list[str] = []
    for scenario_id in SCENARIOS:
        scenario = parts.catalog.scenarios[scenario_id]
        for language in Language:
            director = Director(
                scenario,
                parts.catalog.styles[StyleName.ANALYTICAL],
                language,
                parts.catalog.lexicon,
            )
            state = DiscoveryState()
            opening = director.open(state)
            turns = [Turn(0, Role.BUYER, opening.reveals[0].lines[0])]
            for move in moves_for(scenario, language)[1:MOVES_PER_CALL]:
                seq = len(turns)
                label = parts.classifier.classify(move, context=MoveContext(), language=language)
                direction = director.direct(state, seq=seq, text=move, label=label, seed=seq)
                turns.append(Turn(seq, Role.TRAINEE, move, label=label))
                started = time.perf_counter()
                spoken = await _speak(voice, direction, turns, scenario, state, language)
                seconds.append(time.perf_counter() - started)
                outcomes[(spoken.meta.guard or GuardOutcome.PASSED).value] += 1
                violations.update(v.kind.value for v in spoken.meta.violations)
                if len(samples) < 4 and spoken.meta.violations:
                    samples.append(f"{language}: {spoken.meta.violations[0]} -> {spoken.text}")
                turns.append(Turn(seq + 1, Role.BUYER, spoken.text))
    await chat.close()
    replies = sum(outcomes.values())
    return {
        "replies": replies,
        "passed": outcomes["passed"],
        "regenerated": outcomes["regenerated"],
        "replaced": outcomes["replaced"],
        "violations_caught": sum(violations.values()),
        "violations_by_kind": dict(sorted(violations.items())),
        "seconds_per_reply_median": round(sorted(seconds)[len(seconds) // 2], 1),
    }, samples


async def _speak(
    voice: LlmVoice,
    direction: Direction,
    turns: list[Turn],
    scenario: Scenario,
    state: DiscoveryState,
    language: Language,
) -> Spoken:
    locked = locked_texts(scenario, state, language)
    async for piece in voice.speak(direction, turns, locked=locked):
        if isinstance(piece, Spoken):
            return piece
    raise RuntimeError("the guarded voice ended without a Spoken")


def run_llm_calls(python: Path) -> dict[str, object]:
    """Starts the local model, plays the calls, stops it; prints and returns the figures."""
    del python  # .venv-llm's interpreter: tests/llm/local_model.py knows where it is
    with tempfile.TemporaryDirectory() as tmp, LocalModel(Path(tmp) / "llama.log") as model:
        figures, samples = asyncio.run(_calls(model.url))
    print(
        f"local model: {figures['replies']} replies, {figures['violations_caught']} violations "
        f"caught {figures['violations_by_kind']}, {figures['regenerated']} regenerated, "
        f"{figures['replaced']} replaced by the scripted words, "
        f"median {figures['seconds_per_reply_median']} s per reply"
    )
    for sample in samples:
        print(f"    {sample}")
    return figures
