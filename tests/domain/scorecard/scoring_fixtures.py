"""Hand-built scenarios, labels and calls for the scorecard tests (tests/domain/test_*.py)."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.domain.director.state import DiscoveryState, Mood, Outcome, Stance
from app.domain.labels import Label, Move, MoveKind, SpinLabel
from app.domain.language import Language
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
from app.domain.transcript import Role, Turn


def b(en: str, zh: str) -> Bilingual:
    return Bilingual(en=en, zh=zh)


def v(en: Sequence[str], zh: Sequence[str]) -> Variants:
    return Variants(en=tuple(en), zh=tuple(zh))


def _need(need_id: str, en: str, zh: str, cues: Variants, question: Bilingual) -> NeedPayoff:
    return NeedPayoff(need_id, b(en, zh), cues, v([en], [zh]), question)


def make_scoring_scenario() -> Scenario:
    """Two problems: operator turnover (two implications, one need each) and unplanned
    downtime (one implication, one need). The brief mentions the three plants."""
    onboarding = _need(
        "faster-onboarding",
        "Faster onboarding",
        "更快上手",
        v(["first week", "onboarding", "productive sooner"], ["第一周", "上手", "尽快独立"]),
        b(
            "If new hires could run the line in their first week, how would that help your team?",
            "如果新员工第一周就能独立操作产线，对您的团队意味着什么？",
        ),
    )
    less_overtime = _need(
        "less-overtime",
        "Less overtime",
        "减少加班",
        v(["less overtime", "fewer extra shifts"], ["少加班", "减少加班"]),
        b(
            "How would it help if your senior operators stopped covering extra shifts?",
            "如果老员工不用再顶班，对您有什么帮助？",
        ),
    )
    remote = _need(
        "remote-diagnostics",
        "Remote diagnostics",
        "远程诊断",
        v(["diagnose remotely", "remote support"], ["远程诊断", "远程支持"]),
        b(
            "What would it be worth if a fault could be diagnosed before the technician arrives?",
            "如果技术员到场前就能诊断故障，对您价值有多大？",
        ),
    )
    retraining = Implication(
        "retraining-cost",
        b("Cost of retraining", "重复培训的成本"),
        v(["retrain", "training cost", "replacement"], ["重新培训", "培训成本", "替补"]),
        v(["About 40,000 per operator."], ["每个操作工大约四万。"]),
        b(
            "What does it cost you to train each replacement, in hours and money?",
            "每培养一个替补操作工，要花多少时间和费用？",
        ),
        (onboarding,),
    )
    overtime = Implication(
        "senior-overtime",
        b("Overtime for senior operators", "老员工加班"),
        v(["overtime", "extra shifts"], ["加班", "顶班"]),
        v(["They work 12 extra hours a week."], ["他们每周多干12个小时。"]),
        b(
            "How many extra hours do your senior operators work to cover the gaps?",
            "为了填补空缺，老员工每周要多干多少小时？",
        ),
        (less_overtime,),
    )
    deliveries = Implication(
        "missed-deliveries",
        b("Missed deliveries", "延误交货"),
        v(["deliveries", "late orders"], ["交货", "延误"]),
        v(["Two late orders a month."], ["每月两单延误。"]),
        b(
            "When a line stops unexpectedly, how many deliveries slip that month?",
            "产线意外停机时，当月会有多少订单延误交货？",
        ),
        (remote,),
    )
    turnover = Problem(
        "operator-turnover",
        b("Operator turnover", "操作工流失"),
        v(["keep operators", "turnover", "leave"], ["流失", "离职", "留住"]),
        v(["Yes, they leave within a year."], ["是的，一年内就走了。"]),
        v(["People come and go."], ["人来人往的。"]),
        b("Is it hard to keep trained operators on the line?", "留住熟练操作工难吗？"),
        (retraining, overtime),
    )
    downtime = Problem(
        "unplanned-downtime",
        b("Unplanned downtime", "意外停机"),
        v(["downtime", "breakdowns", "stops"], ["停机", "故障"]),
        v(["The line stops twice a month."], ["产线每月停两次。"]),
        v(["Machines have moods."], ["机器也有脾气。"]),
        b(
            "How satisfied are you with how often the line stops unexpectedly?",
            "产线意外停机的频率，您满意吗？",
        ),
        (deliveries,),
    )
    facts = (
        Fact(
            "site-count",
            v(["plants", "sites", "factories"], ["工厂", "厂区", "基地"]),
            v(["Three plants."], ["三个工厂。"]),
        ),
        Fact(
            "operator-count",
            v(["operators", "staff on each shift"], ["操作工", "每班人数"]),
            v(["Twelve per shift."], ["每班十二人。"]),
        ),
        Fact(
            "shift-pattern",
            v(["shifts", "shift pattern"], ["班次", "倒班"]),
            v(["Three shifts."], ["三班倒。"]),
        ),
    )
    return Scenario(
        id="scoring-plant",
        title=b("Plant operators", "工厂操作工"),
        brief=b(
            "Northwind runs three plants and struggles to staff its lines.",
            "北风公司有三个工厂，产线人手紧张。",
        ),
        account=Account(
            company=b("Northwind", "北风"),
            industry=b("Packaging", "包装"),
            buyer_name=b("Dana Lee", "李丹"),
            buyer_role=b("Operations director", "运营总监"),
            product=b("Guided line controls", "引导式产线控制系统"),
        ),
        opening=v(["Hello."], ["你好。"]),
        facts=facts,
        problems=(turnover, downtime),
        objections=(
            Objection("price", ObjectionTrigger.PITCH, v(["Sounds expensive."], ["听起来很贵。"])),
            Objection("pressure", ObjectionTrigger.CLOSE, v(["Not so fast."], ["别急。"])),
        ),
        advance=Advance(
            description=b("A two-week pilot on one line", "在一条产线上试点两周"),
            cues=v(["pilot", "trial"], ["试点", "试用"]),
            accept=v(["Let's do the pilot."], ["那就试点吧。"]),
            defer=v(["Let's keep in touch."], ["保持联系吧。"]),
        ),
    )


def question(
    label: SpinLabel,
    *,
    is_open: bool = True,
    topics: Sequence[str] = (),
    source: str = "offline",
) -> Label:
    return Label(MoveKind.QUESTION, label, None, is_open, 0.9, tuple(topics), source)


def statement(move: Move, *, topics: Sequence[str] = (), source: str = "offline") -> Label:
    return Label(MoveKind.STATEMENT, SpinLabel.OTHER, move, None, 0.9, tuple(topics), source)


def commitment_question() -> Label:
    return Label(MoveKind.QUESTION, SpinLabel.OTHER, Move.COMMITMENT, False, 0.9)


@dataclass
class CallBuilder:
    """Appends turns with consecutive seqs; `say` is the trainee, `hear` the buyer."""

    turns: list[Turn] = field(default_factory=list)

    def say(self, text: str, label: Label) -> int:
        seq = len(self.turns)
        self.turns.append(Turn(seq, Role.TRAINEE, text, label))
        return seq

    def hear(self, text: str, reaction: str = "acknowledge") -> int:
        seq = len(self.turns)
        self.turns.append(Turn(seq, Role.BUYER, text, reaction=reaction))
        return seq


def relabel(transcript: Sequence[Turn], seq: int, label: Label) -> list[Turn]:
    """A trainer's override: the same transcript with one trainee turn relabelled."""
    return [replace(t, label=label) if t.seq == seq else t for t in transcript]


_BUYER_EN = (
    "Well, it is a busy time for us, we are running all three plants flat out this quarter "
    "and the team is stretched, but go ahead and ask what you need to ask."
)
_BUYER_ZH = (
    "这个季度我们三个工厂都在满负荷运转，团队很紧张，不过你有什么想问的就问吧，我尽量回答清楚。"
)


def _t(language: Language, en: str, zh: str) -> str:
    return en if language is Language.EN else zh


@dataclass(frozen=True)
class Call:
    transcript: list[Turn]
    state: DiscoveryState
    seqs: dict[str, int]  # named trainee turns


def good_call(language: Language) -> Call:
    """Rapport, S → P → I → N on operator turnover, a summary, a benefit, and the advance,
    which the buyer accepts."""
    c = CallBuilder()
    buyer = _t(language, _BUYER_EN, _BUYER_ZH)
    seqs: dict[str, int] = {}
    seqs["rapport"] = c.say(
        _t(language, "Thanks for making time today.", "感谢您今天抽时间见我。"),
        statement(Move.RAPPORT),
    )
    c.hear(buyer, "greeting")
    seqs["situation"] = c.say(
        _t(language, "How many operators work on each shift?", "每个班次有多少操作工？"),
        question(SpinLabel.SITUATION, topics=["operator-count"]),
    )
    c.hear(buyer)
    seqs["problem"] = c.say(
        _t(language, "Is it hard to keep trained operators on the line?", "留住熟练操作工难吗？"),
        question(SpinLabel.PROBLEM, is_open=False, topics=["operator-turnover"]),
    )
    c.hear(buyer, "connector")
    seqs["implication"] = c.say(
        _t(
            language,
            "What does it cost you to train each replacement, in hours and money?",
            "每培养一个替补操作工，要花多少时间和费用？",
        ),
        question(SpinLabel.IMPLICATION, topics=["retraining-cost"]),
    )
    c.hear(buyer, "connector")
    seqs["need_payoff"] = c.say(
        _t(
            language,
            "If new hires could run the line in their first week, how would that help your team?",
            "如果新员工第一周就能独立操作产线，对您的团队意味着什么？",
        ),
        question(SpinLabel.NEED_PAYOFF, topics=["faster-onboarding"]),
    )
    c.hear(buyer, "connector")
    seqs["summary"] = c.say(
        _t(
            language,
            "So, as you said, you need new operators productive in their first week.",
            "所以，正如您所说，您需要新操作工第一周就能上手。",
        ),
        statement(Move.SUMMARY),
    )
    c.hear(buyer, "summary")
    seqs["benefit"] = c.say(
        _t(
            language,
            "You said you need new hires productive sooner: our guided setup gets a new "
            "operator running the line after two days.",
            "您提到需要新员工尽快上手：我们的引导式设置让新操作工两天就能独立操作。",
        ),
        statement(Move.PITCH, topics=["faster-onboarding"]),
    )
    c.hear(buyer, "receptive")
    seqs["advance"] = c.say(
        _t(
            language,
            "Could we set up a two-week pilot on one line next month?",
            "下个月我们在一条产线上试点两周，可以吗？",
        ),
        commitment_question(),
    )
    c.hear(buyer, "advance_accept")
    state = DiscoveryState(
        facts={"operator-count": seqs["situation"]},
        problems={"operator-turnover": seqs["problem"]},
        implications={"retraining-cost": seqs["implication"]},
        needs={"faster-onboarding": seqs["need_payoff"]},
        advance_proposed_at=seqs["advance"],
        advance_accepted=True,
        outcome=Outcome.ADVANCE,
        moods=[
            Mood(s, Stance.OPEN, 70, 40 + 5 * i)
            for i, s in enumerate(t.seq for t in c.turns if t.role is Role.TRAINEE)
        ],
    )
    return Call(c.turns, state, seqs)


_SITUATION_EN = (
    "How many plants do you run?",
    "How many operators work on each shift?",
    "What shift pattern do you use?",
    "Which control system is on the lines today?",
    "How old is the equipment?",
    "Who looks after maintenance?",
    "How many lines are there per plant?",
    "What products do the lines make?",
    "How long have you been in this role?",
    "Who else is involved in buying decisions?",
)
_SITUATION_ZH = (
    "你们有几个工厂？",
    "每个班次有多少操作工？",
    "你们是怎么排班的？",
    "产线现在用的是什么控制系统？",
    "设备用了多少年了？",
    "维护是谁负责的？",
    "每个工厂有几条产线？",
    "产线生产什么产品？",
    "您在这个岗位多久了？",
    "还有谁参与采购决策？",
)


def bad_call(language: Language) -> Call:
    """Ten situation questions, two feature pitches early (one draws an objection), and a
    vague "talk again" that the buyer defers."""
    c = CallBuilder()
    buyer = _t(language, _BUYER_EN, _BUYER_ZH)
    seqs: dict[str, int] = {}
    texts = _SITUATION_EN if language is Language.EN else _SITUATION_ZH
    for index, text in enumerate(texts):
        seqs[f"situation{index}"] = c.say(text, question(SpinLabel.SITUATION))
        c.hear(buyer)
        if index == 1:
            seqs["pitch1"] = c.say(
                _t(
                    language,
                    "Our platform includes a touchscreen panel and remote diagnostics.",
                    "我们的平台配有触摸屏面板和远程诊断功能。",
                ),
                statement(Move.PITCH),
            )
            seqs["objection"] = c.hear(buyer, "sceptical")
        if index == 3:
            seqs["pitch2"] = c.say(
                _t(language, "The system has a modular design.", "这个系统是模块化设计。"),
                statement(Move.PITCH),
            )
            c.hear(buyer, "sceptical")
    seqs["continuation"] = c.say(
        _t(language, "Shall we talk again next quarter?", "我们下个季度再聊聊？"),
        commitment_question(),
    )
    c.hear(buyer, "advance_defer")
    state = DiscoveryState(
        facts={"site-count": seqs["situation0"], "operator-count": seqs["situation1"]},
        objections=[("price", seqs["objection"])],
        outcome=Outcome.CONTINUATION,
    )
    return Call(c.turns, state, seqs)
