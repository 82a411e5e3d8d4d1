"""Agreement between the classifier and trainers' corrections: Cohen's kappa and a confusion
matrix over (classifier label, trainer label) pairs. Only overridden turns carry a trainer
label, so this measures agreement on the turns trainers looked at closely."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.labels import SpinLabel

LABELS = tuple(SpinLabel)


@dataclass(frozen=True, slots=True)
class Agreement:
    pairs: int
    observed: float  # share of pairs where both agree
    kappa: float | None  # None when undefined (no pairs, or chance agreement is 1)
    confusion: dict[str, dict[str, int]]  # classifier label → trainer label → count


def agreement(pairs: Sequence[tuple[SpinLabel, SpinLabel]]) -> Agreement:
    """Cohen's kappa: (p_o - p_e) / (1 - p_e), p_e from each rater's label frequencies."""
    confusion = {a.value: {b.value: 0 for b in LABELS} for a in LABELS}
    for machine, trainer in pairs:
        confusion[machine.value][trainer.value] += 1
    total = len(pairs)
    if total == 0:
        return Agreement(pairs=0, observed=0.0, kappa=None, confusion=confusion)
    observed = sum(1 for a, b in pairs if a is b) / total
    machine_counts = Counter(a for a, _ in pairs)
    trainer_counts = Counter(b for _, b in pairs)
    expected = sum(machine_counts[x] * trainer_counts[x] for x in LABELS) / (total * total)
    kappa = None if expected >= 1.0 else (observed - expected) / (1.0 - expected)
    return Agreement(
        pairs=total,
        observed=round(observed, 4),
        kappa=round(kappa, 4) if kappa is not None else None,
        confusion=confusion,
    )
