"""Bilingual topic matching: paraphrases of a topic match it, unrelated moves match nothing."""

import pytest

from app.domain.reading.topics import TopicIndex, match_topics
from app.domain.reading.words import normalise, stem
from app.domain.scenario import Variants

TOPICS = TopicIndex(
    [
        (
            "downtime",
            Variants(
                ("downtime", "breakdowns", "line stops", "unplanned stoppage"),
                ("停机时间", "设备故障", "停线"),
            ),
        ),
        (
            "training",
            Variants(("train new operators", "onboarding", "learning curve"), ("培训", "上手慢")),
        ),
        (
            "turnover",
            Variants(("staff turnover", "people quitting", "retention"), ("人员流失", "离职率")),
        ),
    ]
)


def ids(text: str) -> list[str]:
    return [m.id for m in TOPICS.match(text)]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("How much downtime did you have last quarter?", "downtime"),
        ("Do the downtimes cluster on night shift?", "downtime"),
        ("How often does the line stop?", "downtime"),
        ("When a machine breaks down, who fixes it?", "downtime"),
        ("How long does it take to get a new operator trained?", "training"),
        ("Who does the training of your new operators?", "training"),
        ("What's the onboarding like for newcomers?", "training"),
        ("How many of your people quit last year?", "turnover"),
        ("Are people quitting faster than you can hire?", "turnover"),
        ("What's your staff turnover?", "turnover"),
    ],
)
def test_english_paraphrase_matches_its_topic(text: str, topic: str) -> None:
    assert ids(text)[:1] == [topic]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("你们一个月停机多久？", "downtime"),
        ("产线经常停吗？停线一次损失多少？", "downtime"),
        ("设备出故障的频率高吗？", "downtime"),
        ("新员工培训一般要多长时间？", "training"),
        ("新人上手要多久？", "training"),
        ("去年人员流动大不大，流失严重吗？", "turnover"),
        ("操作工的离职情况怎么样？", "turnover"),
    ],
)
def test_chinese_paraphrase_matches_its_topic(text: str, topic: str) -> None:
    assert ids(text)[:1] == [topic]


@pytest.mark.parametrize(
    "text",
    [
        "Nice weather today, isn't it?",
        "What do you think about the football last night?",
        "How is your family?",
        "今天天气真好。",
        "您周末一般做什么？",
        "",
        "？？？",
    ],
)
def test_move_touching_no_topic_matches_nothing(text: str) -> None:
    assert TOPICS.match(text) == []


def test_mixed_language_move_matches_english_cue_inside_chinese() -> None:
    assert ids("我们的 downtime 大概多少？") == ["downtime"]


def test_full_width_text_is_normalised() -> None:
    assert normalise("ＤＯＷＮＴＩＭＥ，Ｌｉｎｅ！") == "downtime line"
    assert ids("ＤＯＷＮＴＩＭＥ？") == ["downtime"]


def test_multi_word_cue_needs_all_its_content_words() -> None:
    assert "turnover" not in ids("Are your staff happy?")
    assert "turnover" in ids("Is turnover among staff high?")


def test_more_cues_touched_rank_a_topic_higher() -> None:
    matches = TOPICS.match("Does downtime from breakdowns slow down onboarding?")
    assert [m.id for m in matches] == ["downtime", "training"]
    assert matches[0].score > matches[1].score


@pytest.mark.parametrize(
    ("forms", "root"),
    [
        (("downtime", "downtimes"), "downtim"),
        (("train", "training", "trained", "trains"), "train"),
        (("process", "processes"), "process"),
        (("machine", "machines"), "machin"),
        (("company", "companies"), "company"),
    ],
)
def test_stem_folds_inflections(forms: tuple[str, ...], root: str) -> None:
    assert {stem(f) for f in forms} == {root}


def test_match_topics_one_off_agrees_with_index() -> None:
    topics = [("scrap", Variants(("scrap", "waste"), ("废品",)))]
    assert [m.id for m in match_topics("How much scrap?", topics)] == ["scrap"]
    assert match_topics("废品率多少", topics)[0].id == "scrap"
    assert match_topics("hello", topics) == []
