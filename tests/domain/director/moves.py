"""Moves in both languages and a helper that plays them through the director."""

from collections.abc import Sequence

from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label
from app.domain.language import Language
from app.domain.style import StyleName
from tests.factories import (
    I,
    N,
    P,
    S,
    make_lexicon,
    make_scenario,
    make_style,
)

EN, ZH = Language.EN, Language.ZH


Moves = Sequence[tuple[str, Label]]


TEXT = {
    "plants": {EN: "How many plants do you run?", ZH: "你们有几个工厂？"},
    "shifts": {EN: "What shift pattern do you work?", ZH: "你们怎么排班？"},
    "machines": {EN: "When were the machines installed?", ZH: "设备是哪年安装的？"},
    "output": {EN: "What volume do you ship?", ZH: "每月出货多少？"},
    "software": {EN: "Which software schedules production?", ZH: "排产用什么软件？"},
    "turnover": {EN: "Do operators quit more often than you'd like?", ZH: "操作工离职多吗？"},
    "downtime": {EN: "How often do breakdowns stop the lines?", ZH: "设备故障多不多？"},
    "retraining": {
        EN: "What does retraining a replacement cost you?",
        ZH: "重新培训一个人要花多少成本？",
    },
    "overtime": {EN: "Does that push the others into overtime?", ZH: "这会导致其他人加班吗？"},
    "vague-impl": {EN: "And what does that lead to?", ZH: "那会导致什么后果？"},
    "onboarding": {
        EN: "If new hires got up to speed in weeks, how would that help?",
        ZH: "如果新人几周就能上手，对您有什么帮助？",
    },
    "weather": {EN: "Lovely weather we're having.", ZH: "今天天气不错。"},
    "pitch": {EN: "Our presses are the easiest to run.", ZH: "我们的设备最容易操作。"},
    "pilot": {EN: "Shall we run a pilot on one line?", ZH: "我们在一条线上试点怎么样？"},
    "sign": {EN: "Can you sign the order today?", ZH: "今天能签单吗？"},
    "praise": {EN: "Congratulations on the award, impressive work.", ZH: "恭喜获奖，真了不起。"},
}


def call(
    style: StyleName, moves: Moves, *, language: Language = EN, **tuning: int | bool
) -> tuple[DiscoveryState, list[Direction], Director]:
    director = Director(make_scenario(), make_style(style, **tuning), language, make_lexicon())
    state = DiscoveryState()
    director.open(state)
    directions = [
        director.direct(state, seq=2 * n + 1, text=text, label=lab, seed=n)
        for n, (text, lab) in enumerate(moves)
    ]
    return state, directions, director


def t(key: str, language: Language) -> str:
    return TEXT[key][language]


def all_needs(lang: Language) -> list[tuple[str, Label]]:
    words = {
        EN: [
            ("Do operators quit?", P),
            ("What does retraining cost?", I),
            ("Would faster onboarding in weeks help?", N),
            ("Does it cause overtime?", I),
            ("Would a stable crew that cuts overtime help?", N),
            ("How often do breakdowns stop the line?", P),
            ("Do stoppages cause late deliveries and penalties?", I),
            ("Would an early warning from diagnostics help?", N),
            ("How much scrap do you have?", P),
            ("What does the scrap cost in material?", I),
            ("Would halving scrap be worth it?", N),
        ],
        ZH: [
            ("操作工离职多吗？", P),
            ("培训成本是多少？", I),
            ("如果几周就能上手，有帮助吗？", N),
            ("会导致加班吗？", I),
            ("如果队伍稳定、减少加班，会怎样？", N),
            ("设备故障多吗？", P),
            ("停机会导致交货延迟和罚款吗？", I),
            ("如果有诊断预警，会有帮助吗？", N),
            ("废品多吗？", P),
            ("废品造成多少材料损失？", I),
            ("如果废品减半会怎样？", N),
        ],
    }
    return words[lang]


SITUATION_RUN = ["plants", "shifts", "machines", "output", "software", "plants", "shifts"]


def situation_run(style: StyleName, count: int, lang: Language) -> list[Direction]:
    _, directions, _ = call(style, [(t(k, lang), S) for k in SITUATION_RUN[:count]], language=lang)
    return directions


def seeded(style: StyleName, moves: Moves, seed: int) -> list[Direction]:
    director = Director(make_scenario(), make_style(style), EN, make_lexicon())
    state = DiscoveryState()
    director.open(state)
    return [
        director.direct(state, seq=n, text=text, label=lab, seed=seed * 100 + n)
        for n, (text, lab) in enumerate(moves)
    ]
