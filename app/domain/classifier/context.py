"""What the call so far adds to a move's features. Rackham's definitions depend on it
(SPIN.md §1): an implication develops a problem already on the table, and a question about
effects right after the buyer admits a difficulty is an implication, while the same words
after a neutral answer ask for facts. The flags are crossed with the move's own cues so the
model learns which cues the context changes; training and inference both call this."""

from collections.abc import Set

from app.domain.classifier.cues import buyer_admits
from app.domain.classifier.features import normalise
from app.domain.labels import MoveContext

# Move cues whose meaning the context changes: effect and quantity words read as implication
# after an admitted difficulty and as situation before one; value words as need-payoff.
_CROSSED_CUES = (
    "effect",
    "consequence",
    "quantity",
    "anaphor",
    "ref_problem",
    "dissatisfaction",
    "evaluative",
    "value_ask",
    "solution_if",
    "current",
    "if_continues",
    "problem_premise",
    "summary",
    "smalltalk",
    "greeting",
    "form=q",
    "form=s",
)


def context_flags(context: MoveContext) -> tuple[str, ...]:
    """`ba`: the buyer's last turn admits or hints a difficulty; `pt`: a difficulty is on the
    table (the discovery state says so, or the buyer just admitted one); `np`: the call is
    under way and no difficulty is on the table yet, so a question about effects is asking
    whether there is a problem at all. No context (an isolated sentence) sets no flag."""
    if not context.previous and not context.buyer_said.strip():
        return ()
    buyer = normalise(context.buyer_said) if context.buyer_said.strip() else ""
    admits = context.buyer_admitted
    if admits is None:  # no discovery state: read the buyer's words
        admits = bool(buyer) and buyer_admits(buyer)
    flags = ["ba"] if admits else []
    flags.append("pt" if context.problem_on_table or admits else "np")
    return tuple(flags)


def context_features(move_features: Set[str], context: MoveContext) -> set[str]:
    """The context flags, alone and crossed with the move's cues (`k:<cue>` features)."""
    flags = context_flags(context)
    if not flags:
        return set()
    present = [cue for cue in _CROSSED_CUES if "k:" + cue in move_features]
    features = {"x:" + flag for flag in flags}
    features.update(f"x:{flag}&{cue}" for flag in flags for cue in present)
    return features
