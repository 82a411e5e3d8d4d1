"""Cohen's kappa on classifier-versus-trainer label pairs."""

from app.domain.classifier.agreement import agreement
from app.domain.labels import SpinLabel as L


def test_perfect_agreement_has_kappa_one() -> None:
    result = agreement([(L.SITUATION, L.SITUATION), (L.PROBLEM, L.PROBLEM)])
    assert result.kappa == 1.0
    assert result.observed == 1.0


def test_kappa_matches_a_hand_computed_value() -> None:
    # 10 pairs: 7 agree; machine S=5,P=5; trainer S=4,P=6 → p_e = (5*4 + 5*6)/100 = 0.5
    pairs = [(L.SITUATION, L.SITUATION)] * 3 + [(L.PROBLEM, L.PROBLEM)] * 4
    pairs += [(L.SITUATION, L.PROBLEM)] * 2 + [(L.PROBLEM, L.SITUATION)]
    result = agreement(pairs)
    assert result.observed == 0.7
    assert result.kappa == 0.4  # (0.7 - 0.5) / 0.5
    assert result.confusion["situation"]["problem"] == 2


def test_no_pairs_gives_no_kappa() -> None:
    assert agreement([]).kappa is None


def test_single_label_everywhere_has_undefined_kappa() -> None:
    assert agreement([(L.OTHER, L.OTHER)] * 3).kappa is None
