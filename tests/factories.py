"""Typed factories for domain tests: a small bilingual plant scenario and the four buyer
styles, built in Python (the shipped YAML is tested in tests/adapters/)."""

from dataclasses import replace

from app.domain.labels import Label, Move, MoveKind, SpinLabel
from app.domain.reading.lexicon import Concept, Lexicon
from app.domain.scenario import (
    Account,
    Advance,
    Bilingual,
    Fact,
    Implication,
    NeedPayoff,
    Objection,
    ObjectionTrigger,
    Problem,
    Scenario,
    Variants,
)
from app.domain.style import (
    BuyerStyle,
    Level,
    MoveType,
    Pace,
    Reaction,
    StyleName,
    StyleTuning,
    VoiceBanks,
)


def b(en: str, zh: str) -> Bilingual:
    return Bilingual(en=en, zh=zh)


def v(en: list[str], zh: list[str]) -> Variants:
    return Variants(en=tuple(en), zh=tuple(zh))


_FACTS = [
    (
        "site-count",
        ["plants", "sites", "factories"],
        ["工厂", "厂区", "基地"],
        "We run three plants.",
        "我们有三个工厂。",
    ),
    (
        "operator-count",
        ["operators", "headcount", "staff"],
        ["操作工", "员工", "人数", "多少人"],
        "About 120 operators across all shifts.",
        "三班加起来大约120名操作工。",
    ),
    (
        "shift-pattern",
        ["shifts", "shift pattern", "rota"],
        ["班次", "倒班", "排班"],
        "We work three shifts, seven days a week.",
        "我们三班倒，一周七天。",
    ),
    (
        "machine-age",
        ["machines", "equipment age", "installed"],
        ["设备", "机器", "安装"],
        "Most machines were installed in 2012.",
        "大部分设备是2012年安装的。",
    ),
    (
        "output-volume",
        ["output", "volume", "units"],
        ["产量", "产能", "出货"],
        "We ship about 40,000 units a month.",
        "我们每月出货约四万件。",
    ),
    (
        "it-system",
        ["software", "erp", "system"],
        ["系统", "软件"],
        "Scheduling runs in an old ERP module.",
        "排产用的是旧的ERP模块。",
    ),
    (
        "maintenance-team",
        ["maintenance", "technicians", "engineers"],
        ["维修", "技术员", "工程师"],
        "We have six maintenance technicians.",
        "我们有六名维修技术员。",
    ),
    (
        "customer-base",
        ["customers", "clients", "automotive"],
        ["客户", "主机厂", "汽车"],
        "Our customers are mostly car makers.",
        "我们的客户主要是汽车厂。",
    ),
]


def _fact(fid: str, en_cues: list[str], zh_cues: list[str], en: str, zh: str) -> Fact:
    return Fact(
        id=fid,
        cues=v(en_cues, zh_cues),
        answer=v([en, f"{en[:-1]}, give or take."], [zh, f"差不多{zh}"]),
    )


def _need(nid: str, en: str, zh: str, cues_en: list[str], cues_zh: list[str]) -> NeedPayoff:
    return NeedPayoff(
        id=nid,
        title=b(nid, nid),
        cues=v(cues_en, cues_zh),
        answer=v([en, f"Honestly, {en[0].lower()}{en[1:]}"], [zh, f"说真的，{zh}"]),
        example_question=b(f"How would {nid} help?", f"{nid}会有什么帮助？"),
    )


def _problems() -> list[Problem]:
    turnover = Problem(
        id="operator-turnover",
        title=b("Operator turnover", "操作工流失"),
        cues=v(["turnover", "quit", "leaving", "retention"], ["流失", "离职", "留不住"]),
        answer=v(
            [
                "Operators keep quitting; we lose about a third every year.",
                "Retention is poor; a third of the operators leave each year.",
            ],
            ["操作工总是辞职，每年流失三分之一。", "人留不住，每年走三分之一的操作工。"],
        ),
        hint=v(["People don't stay long on our lines."], ["我们产线上的人待不长。"]),
        example_question=b("How hard is it to keep operators?", "留住操作工难不难？"),
        implications=(
            Implication(
                id="retraining-cost",
                title=b("Retraining cost", "再培训成本"),
                cues=v(["training", "retrain", "onboarding", "cost"], ["培训", "上手", "成本"]),
                answer=v(
                    [
                        "Each new operator costs 8,000 dollars and three months of training.",
                        "Training a replacement takes three months and roughly 8,000 dollars.",
                    ],
                    [
                        "每个新操作工要花八千美元、三个月培训。",
                        "培训一个新人要三个月，大约八千美元。",
                    ],
                ),
                example_question=b(
                    "What does replacing an operator cost?", "换一个操作工要花多少？"
                ),
                needs=(
                    _need(
                        "faster-onboarding",
                        "We need new hires productive in weeks, not months.",
                        "我们需要新人几周内就能上手，而不是几个月。",
                        ["faster", "quicker", "weeks", "easier to learn"],
                        ["更快", "几周", "容易上手"],
                    ),
                ),
            ),
            Implication(
                id="overtime-burnout",
                title=b("Overtime", "加班"),
                cues=v(["overtime", "burnout", "tired", "exhausted"], ["加班", "疲惫", "累"]),
                answer=v(
                    [
                        "The remaining crew works 20 percent overtime and they're exhausted.",
                        "Overtime is running at 20 percent; people are worn out.",
                    ],
                    ["剩下的人加班两成，大家都累垮了。", "加班率百分之二十，人都疲惫不堪。"],
                ),
                example_question=b("What does that do to the others?", "这对其他人有什么影响？"),
                needs=(
                    _need(
                        "stable-crew",
                        "A stable crew would let us cut overtime by half.",
                        "队伍稳定的话，加班能减一半。",
                        ["stable", "cut overtime", "less overtime"],
                        ["稳定", "减少加班"],
                    ),
                ),
            ),
        ),
    )
    downtime = Problem(
        id="unplanned-downtime",
        title=b("Unplanned downtime", "非计划停机"),
        cues=v(["downtime", "breakdowns", "line stops", "stoppages"], ["停机", "故障", "停线"]),
        answer=v(
            [
                "The lines stop unexpectedly two or three times a week.",
                "We get unplanned stoppages a few times every week.",
            ],
            ["产线每周意外停两三次。", "每周都会有几次非计划停机。"],
        ),
        hint=v(["The machines have a mind of their own some weeks."], ["有些礼拜机器真是不听话。"]),
        example_question=b("How reliable are the lines?", "产线稳定吗？"),
        implications=(
            Implication(
                id="late-deliveries",
                title=b("Late deliveries", "交货延迟"),
                cues=v(["late", "deliveries", "penalties", "customers"], ["延迟", "交货", "罚款"]),
                answer=v(
                    [
                        "We paid 150,000 dollars in late-delivery penalties last year.",
                        "Late deliveries cost us 150,000 dollars in penalties last year.",
                    ],
                    ["去年交货延迟罚款十五万美元。", "去年因为延迟交货被罚了十五万美元。"],
                ),
                example_question=b("What do stoppages do to deliveries?", "停机对交货有什么影响？"),
                needs=(
                    _need(
                        "remote-diagnostics",
                        "We need to know about a fault before it stops the line.",
                        "我们需要在故障停线之前就知道。",
                        ["diagnostics", "predict", "warning", "before it stops"],
                        ["诊断", "预警", "提前"],
                    ),
                ),
            ),
        ),
    )
    scrap = Problem(
        id="scrap-rate",
        title=b("Scrap", "废品"),
        cues=v(["scrap", "waste", "defects", "quality"], ["废品", "报废", "次品", "质量"]),
        answer=v(
            ["Scrap is at 6 percent on the older lines.", "The older lines scrap about 6 percent."],
            ["老产线的废品率有百分之六。", "老线报废率大约百分之六。"],
        ),
        hint=v(["Quality could be better on the old lines."], ["老线的质量还有提升空间。"]),
        example_question=b("How happy are you with quality?", "您对质量满意吗？"),
        implications=(
            Implication(
                id="material-loss",
                title=b("Material loss", "材料损失"),
                cues=v(["material", "raw material", "money lost"], ["材料", "原料", "损失"]),
                answer=v(
                    [
                        "That's about 300,000 dollars of material a year in the bin.",
                        "We throw away roughly 300,000 dollars of material a year.",
                    ],
                    ["一年大约三十万美元的材料被扔掉。", "每年大概扔掉价值三十万美元的原料。"],
                ),
                example_question=b(
                    "What does the scrap cost in material?", "废品造成多少材料损失？"
                ),
                needs=(
                    _need(
                        "lower-scrap",
                        "Halving scrap would pay for a lot.",
                        "废品减半的话能省下很多钱。",
                        ["halve scrap", "less scrap", "lower waste"],
                        ["减半", "降低废品"],
                    ),
                ),
            ),
        ),
    )
    return [turnover, downtime, scrap]


def make_lexicon() -> Lexicon:
    """A small lexicon for domain tests (the shipped one is personas/lexicon.yaml)."""
    return Lexicon(
        [
            Concept("leaving", ("quit", "leave", "turnover", "resign"), ("离职", "走人", "流失")),
            Concept(
                "staff", ("operators", "people", "staff", "payroll"), ("操作工", "员工", "人手")
            ),
            Concept("money", ("cost", "money", "spend"), ("成本", "花钱", "费用")),
            Concept("downtime", ("downtime", "stoppage", "idle"), ("停机", "停线")),
            Concept("breakdown", ("breakdown", "breakdowns", "break down"), ("故障", "坏了")),
            Concept("quality", ("scrap", "waste", "defects", "rejects"), ("废品", "报废", "次品")),
            Concept("overtime", ("overtime", "extra hours", "burnout"), ("加班", "疲惫")),
        ],
        {
            "refer_back": ["that", "this", "those", "it", "这", "那"],
            "broad_problem": ["biggest challenge", "keeps you up at night", "最头疼"],
            "small_talk": ["weekend", "weather", "how was your", "周末", "天气"],
        },
    )


def make_scenario(*, problems: int = 3, scenario_id: str = "test-plant") -> Scenario:
    """A plant scenario: 8 facts, up to 3 problems (turnover with two implications,
    downtime, scrap), a pitch, a price and a close objection, a pilot as the advance."""
    return Scenario(
        id=scenario_id,
        title=b("Test plant", "测试工厂"),
        brief=b("A plant manager with operator trouble.", "一位为操作工发愁的厂长。"),
        account=Account(
            company=b("Acme Metalworks", "艾克米金属"),
            industry=b("Metal parts", "金属零件"),
            buyer_name=b("Dana Li", "李丹"),
            buyer_role=b("Plant manager", "厂长"),
            product=b("Easy-to-operate presses", "易操作冲压设备"),
        ),
        opening=v(
            ["Hello, I'm Dana. You wanted to talk about our presses?"],
            ["你好，我是李丹。你想聊聊我们的冲压设备？"],
        ),
        facts=tuple(_fact(*row) for row in _FACTS),
        problems=tuple(_problems()[:problems]),
        objections=(
            Objection(
                "too-early",
                ObjectionTrigger.PITCH,
                v(["We're not shopping for new presses."], ["我们没打算买新设备。"]),
            ),
            Objection(
                "price", ObjectionTrigger.PRICE, v(["That sounds expensive."], ["听起来很贵。"])
            ),
            Objection(
                "no-rush",
                ObjectionTrigger.CLOSE,
                v(["I'm not signing anything today."], ["我今天不会签任何东西。"]),
            ),
        ),
        advance=Advance(
            description=b("A two-week pilot on one line", "在一条线上试点两周"),
            cues=v(["pilot", "trial", "site visit"], ["试点", "试用", "现场考察"]),
            accept=v(
                ["A pilot on line two works for me.", "Let's pilot it on line two."],
                ["在二号线试点可以。", "那就在二号线试点。"],
            ),
            defer=v(
                ["Let's keep in touch for now.", "Send me something and we'll see."],
                ["先保持联系吧。", "发点资料给我，再看看。"],
            ),
        ),
    )


_TUNING = StyleTuning(
    start_patience=70,
    start_trust=40,
    patience_floor=10,
    impatient_below=25,
    open_from=45,
    warm_from=65,
    situation_free=4,
    situation_cost=3,
    situation_streak_limit=6,
    situation_streak_end=0,
    spin_patience=4,
    problem_trust=5,
    implication_trust=6,
    need_trust=8,
    rapport_trust=4,
    rapport_patience=2,
    recognition_trust=0,
    summary_trust=5,
    precise_trust=0,
    precise_extra_facts=0,
    precise_extra_sentences=0,
    pitch_trust_cost=8,
    pitch_patience_cost=5,
    close_trust_cost=8,
    close_patience_cost=6,
    other_patience_cost=3,
    rapport_before_problems=0,
    gentle_questions_build_rapport=False,
    withdraws_under_pressure=False,
    hint_rapport=0,
    hint_trust=65,
    vision_percent=0,
    advance_needs=1,
    advance_trust=45,
    benefit_trust=6,
)
# Each style's distinguishing numbers (SPIN.md §4), as in personas/styles/*.yaml.
STYLE_TUNING: dict[StyleName, StyleTuning] = {
    StyleName.DRIVER: replace(
        _TUNING,
        start_patience=60,
        start_trust=35,
        patience_floor=15,
        impatient_below=30,
        situation_free=1,
        situation_cost=8,
        situation_streak_limit=3,
        situation_streak_end=5,
        rapport_patience=-6,
        rapport_trust=1,
        pitch_patience_cost=10,
        hint_trust=60,
    ),
    StyleName.ANALYTICAL: replace(
        _TUNING,
        start_patience=75,
        start_trust=35,
        situation_free=5,
        situation_streak_limit=7,
        precise_trust=6,
        precise_extra_facts=1,
        precise_extra_sentences=2,
        pitch_trust_cost=10,
        advance_needs=2,
        advance_trust=55,
    ),
    StyleName.AMIABLE: replace(
        _TUNING,
        start_patience=80,
        impatient_below=20,
        open_from=50,
        warm_from=62,
        rapport_trust=8,
        rapport_patience=4,
        close_trust_cost=15,
        rapport_before_problems=2,
        gentle_questions_build_rapport=True,
        withdraws_under_pressure=True,
        hint_rapport=1,
        hint_trust=44,
        advance_trust=50,
    ),
    StyleName.EXPRESSIVE: replace(
        _TUNING,
        start_trust=45,
        patience_floor=12,
        impatient_below=30,
        warm_from=60,
        situation_free=2,
        situation_cost=6,
        situation_streak_limit=4,
        situation_streak_end=7,
        rapport_trust=5,
        recognition_trust=10,
        hint_rapport=1,
        hint_trust=58,
        vision_percent=35,
        advance_trust=50,
    ),
}
_AXES = {
    StyleName.DRIVER: (Level.HIGH, Level.LOW, Pace.FAST, 2),
    StyleName.ANALYTICAL: (Level.LOW, Level.LOW, Pace.SLOW, 3),
    StyleName.AMIABLE: (Level.LOW, Level.HIGH, Pace.SLOW, 3),
    StyleName.EXPRESSIVE: (Level.HIGH, Level.HIGH, Pace.FAST, 4),
}
_REACTIONS = {
    StyleName.DRIVER: {
        MoveType.PITCH: Reaction.SCEPTICAL,
        MoveType.RAPPORT: Reaction.BRUSH_OFF,
        MoveType.CLOSE: Reaction.PUSH_BACK,
        MoveType.OTHER: Reaction.DEFLECT,
    },
    StyleName.ANALYTICAL: {
        MoveType.PITCH: Reaction.EVIDENCE_REQUEST,
        MoveType.RAPPORT: Reaction.WARM,
        MoveType.CLOSE: Reaction.PUSH_BACK,
        MoveType.OTHER: Reaction.UNCLEAR,
    },
    StyleName.AMIABLE: {
        MoveType.PITCH: Reaction.SCEPTICAL,
        MoveType.RAPPORT: Reaction.WARM,
        MoveType.CLOSE: Reaction.WITHDRAW,
        MoveType.OTHER: Reaction.DEFLECT,
    },
    StyleName.EXPRESSIVE: {
        MoveType.PITCH: Reaction.SCEPTICAL,
        MoveType.RAPPORT: Reaction.WARM,
        MoveType.CLOSE: Reaction.PUSH_BACK,
        MoveType.OTHER: Reaction.DEFLECT,
    },
}
_JOINERS = {Reaction.ACKNOWLEDGE, Reaction.CONNECTOR, Reaction.ALREADY_COVERED, Reaction.HINT}


def _phrasing(name: StyleName, variants: int) -> dict[Reaction, Variants]:
    """Distinct test phrases per reaction; lead-in keys also get joining phrases."""
    phrasing = {}
    for reaction in Reaction:
        en = [f"{name} {reaction} line {n}." for n in range(variants)]
        zh = [f"{name}{reaction}第{n}句。" for n in range(variants)]
        if reaction in _JOINERS:
            en += [f"{name} {reaction} joining {n}," for n in range(2)]
            zh += [f"{name}{reaction}连接{n}，" for n in range(2)]
        phrasing[reaction] = v(en, zh)
    return phrasing


def make_style(
    name: StyleName = StyleName.DRIVER, *, variants: int = 3, **tuning: int | bool
) -> BuyerStyle:
    """A style with the shipped style's behaviour numbers (override any with keywords)."""
    assertive, responsive, pace, sentences = _AXES[name]
    reactions = {
        MoveType.SITUATION: Reaction.ACKNOWLEDGE,
        MoveType.PROBLEM: Reaction.CONNECTOR,
        MoveType.IMPLICATION: Reaction.CONNECTOR,
        MoveType.NEED_PAYOFF: Reaction.CONNECTOR,
        MoveType.SUMMARY: Reaction.SUMMARY,
        **_REACTIONS[name],
    }
    return BuyerStyle(
        name=name,
        label=b(name.value.title(), name.value),
        description=b(f"A {name} buyer.", f"{name}买家。"),
        assertiveness=assertive,
        responsiveness=responsive,
        pace=pace,
        reply_sentences=sentences,
        values=v(["results"], ["结果"]),
        irritants=v(["small talk"], ["闲聊"]),
        under_stress=b("Withdraws.", "退缩。"),
        adaptation=v(["Be brief."], ["简练。"]),
        reactions=reactions,
        tuning=replace(STYLE_TUNING[name], **tuning),  # type: ignore[arg-type]
        phrasing=_phrasing(name, variants),
        voice=VoiceBanks(
            recall=v(
                [f"{name} recall line {n}." for n in range(6)],
                [f"{name}回顾第{n}句。" for n in range(6)],
            ),
            upbeat=v(
                [f"{name} upbeat {n}," for n in range(2)], [f"{name}好消息{n}，" for n in range(2)]
            ),
            farewell=v(
                [f"{name} farewell {n}." for n in range(2)], [f"{name}道别{n}。" for n in range(2)]
            ),
        ),
    )


def label(spin: SpinLabel, *, move: Move | None = None, is_open: bool | None = True) -> Label:
    """A hand-made label (until the classifier lands)."""
    kind = MoveKind.QUESTION if spin is not SpinLabel.OTHER else MoveKind.STATEMENT
    if spin is SpinLabel.OTHER and move is None:
        move = Move.OTHER
    return Label(
        kind=kind,
        label=spin,
        move=move,
        open=is_open if kind is MoveKind.QUESTION else None,
        confidence=0.9,
    )


S = label(SpinLabel.SITUATION)
P = label(SpinLabel.PROBLEM)
I = label(SpinLabel.IMPLICATION)  # noqa: E741
N = label(SpinLabel.NEED_PAYOFF)
PITCH = label(SpinLabel.OTHER, move=Move.PITCH)
RAPPORT = label(SpinLabel.OTHER, move=Move.RAPPORT)
SUMMARY = label(SpinLabel.OTHER, move=Move.SUMMARY)
COMMIT = label(SpinLabel.OTHER, move=Move.COMMITMENT)
OTHER = label(SpinLabel.OTHER, move=Move.OTHER)
