"""A trainee's call for any scenario, built from the scenario's own content: small talk, a few
situation questions, a repeat, the first problem developed to a need, a second problem, a
pitch, an off-topic remark, a summary, the advance and a goodbye. The voice benchmark and the
voice tests play it with every style and language."""

from app.domain.language import Language
from app.domain.scenario import Scenario

_EN = {
    "hello": "Good morning, thanks for making time for me today.",
    "fact": "Could you tell me about your {cue}?",
    "again": "Sorry, could you go over the {cue} once more?",
    "pitch": "Our system solves exactly this kind of problem for customers like you.",
    "off": "Did you catch the football last night?",
    "summary": "So if I understand you correctly, this is costing you a lot today.",
    "advance": "Would you be open to a {cue} as a next step?",
    "bye": "Thanks for your time today, goodbye.",
}
_ZH = {
    "hello": "您好，谢谢您今天抽时间见我。",
    "fact": "能跟我介绍一下你们的{cue}情况吗？",
    "again": "不好意思，{cue}这块能再说一遍吗？",
    "pitch": "我们的系统正好能帮您这样的客户解决这类问题。",
    "off": "昨晚的球赛您看了吗？",
    "summary": "如果我没理解错的话，这个问题现在让你们损失不小。",
    "advance": "下一步我们安排一次{cue}，您看可以吗？",
    "bye": "谢谢您的时间，再见。",
}


def moves_for(scenario: Scenario, language: Language) -> list[str]:
    """Sixteen moves; the same for every style, so two calls differ only by the seed."""
    say = _ZH if language is Language.ZH else _EN
    facts = scenario.facts
    first, second = scenario.problems[0], scenario.problems[min(1, len(scenario.problems) - 1)]
    implication = first.implications[0]
    need = implication.needs[0]
    cue = facts[0].cues(language)[0]
    return [
        say["hello"],
        say["fact"].format(cue=cue),
        say["fact"].format(cue=facts[1].cues(language)[0]),
        say["fact"].format(cue=facts[2].cues(language)[0]),
        say["again"].format(cue=cue),
        first.example_question(language),
        implication.example_question(language),
        implication.example_question(language),
        need.example_question(language),
        second.example_question(language),
        say["pitch"],
        say["off"],
        second.implications[0].example_question(language),
        say["summary"],
        say["advance"].format(cue=scenario.advance.cues(language)[0]),
        say["bye"],
    ]
