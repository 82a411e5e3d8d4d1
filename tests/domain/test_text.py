"""Text helpers of the shared kernel."""

from app.domain.text import well_formed


def test_text_from_json_is_made_well_formed() -> None:
    """JSON may carry lone surrogates; UTF-8 (the databases) cannot store them."""
    assert well_formed("a\udb1f\ude72b") == "a\U000d7e72b"  # a pair joined
    assert well_formed("a\udb1fb") == "a\ufffdb"  # a lone half replaced
    assert well_formed("中文 ok") == "中文 ok"
