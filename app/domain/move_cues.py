"""What counts as a behaviour in a trainee move, defined once: the buyer (director) and the
scorecard read the same rules, so the buyer never warms to praise the scorecard does not
credit (issue 10). Each rule is a list of cue phrases; English matches whole words or phrases,
Chinese substrings, and both scripts are matched whatever the session language, because
bilingual trainees mix them. These recognise behaviour; they are never shown to users."""

import re
from collections.abc import Iterable

from app.domain.text import CJK, fold

_DIGIT = re.compile(r"\d|%")


class CueSet:
    """A list of cue phrases compiled once into two patterns (English with word boundaries,
    Chinese as substrings), so a check is one or two regex searches however long the list."""

    __slots__ = ("_han", "_latin")

    def __init__(self, cues: Iterable[str]) -> None:
        latin = sorted({fold(c) for c in cues if not CJK.search(c)}, key=len, reverse=True)
        han = sorted({fold(c) for c in cues if CJK.search(c)}, key=len, reverse=True)
        self._latin = (
            re.compile(r"(?<![a-z0-9'])(?:" + "|".join(map(re.escape, latin)) + r")(?![a-z0-9])")
            if latin
            else None
        )
        self._han = re.compile("|".join(map(re.escape, han))) if han else None

    def found_in(self, text: str) -> bool:
        folded = fold(text)
        return bool(
            (self._latin is not None and self._latin.search(folded))
            or (self._han is not None and self._han.search(folded))
        )


# What the product does or can do (SPIN.md §2: an advantage); a pitch without one of these
# says only what the product is or has (a feature).
ADVANTAGE = CueSet((
    "can", "could", "will", "would", "lets you", "let you", "allows", "allow you", "helps",
    "help you", "enables", "reduces", "reduce", "cuts", "cut", "saves", "save", "speeds up",
    "faster", "quicker", "improves", "improve", "so you", "so that", "means you", "avoid",
    "avoids", "prevents", "eliminates", "lowers", "boosts", "increases",
    # Not a bare 能: it sits inside 功能, 性能 and 智能, which name features.
    "可以", "能够", "能帮", "能让", "能把", "就能", "都能", "帮助", "帮您", "帮你", "减少", "节省",
    "提高", "提升", "降低", "加快", "避免", "让您", "让你", "省去", "缩短",
))  # fmt: skip
# The seller ties a claim or a question to what the buyer said.
REFERENCE = CueSet((
    "you said", "you mentioned", "you told me", "as you said", "you need", "you wanted",
    "you want", "your goal", "you'd like", "you would like", "you were saying",
    "您提到", "你提到", "您说", "你说", "您刚才", "你刚才", "您需要", "你需要", "您希望",
    "你希望", "正如您", "您的目标",
))  # fmt: skip
# Closing techniques: assumptive, alternative, scarcity (SPIN.md §3.7).
CLOSING = CueSet((
    "sign today", "sign now", "sign the contract", "today only", "this week only",
    "only this week", "limited time", "limited offer", "offer ends", "before the price",
    "price goes up", "last chance", "only a few left", "ready to sign", "send the contract",
    "send over the contract", "place the order", "order today", "go ahead with the order",
    "don't miss", "lock in", "which package", "sign up today",
    "今天签", "今天就签", "签合同", "签约吧", "马上签", "现在下单", "下单吧", "名额有限", "限时",
    "优惠截止", "最后机会", "别错过", "不要错过", "锁定价格", "涨价前", "今天就定",
))  # fmt: skip
# Recognising the buyer, their organisation or their ideas (SPIN.md §4: an expressive buyer
# values recognition, attention and praise).
RECOGNITION = CueSet((
    "great idea", "good idea", "good point", "great point", "your idea", "your vision",
    "your plan", "impressive", "impressed", "that's exciting", "love that", "you've built",
    "you have built", "well done", "congratulations", "congrats", "you're right", "admire",
    "remarkable", "award", "awards", "achievement", "achievements", "proud", "visionary",
    "pioneer", "pioneering", "amazing", "excellent", "brilliant", "kudos", "reputation",
    "great job", "great work", "hats off",
    # Building on the buyer's own words recognises their ideas too.
    "you mentioned", "as you said", "you were saying",
    "您说得", "您的想法", "好主意", "有远见", "远见", "了不起", "厉害", "佩服", "您的愿景",
    "说得对", "恭喜", "祝贺", "您提到", "正如您", "成就", "出色", "优秀", "荣誉", "欣赏", "佳绩",
    "标杆", "敬佩", "领先",
))  # fmt: skip
# Asking for numbers: counts, shares, durations, rates, amounts (SPIN.md §4: an analytical
# buyer rewards precise, quantified questions). Digits and % count too. Not bare 天, 次, 周
# or 万: they sit inside 今天, 这次, 周末 and 万一.
PRECISION = CueSet((
    "how many", "how much", "how long", "how often", "what percentage", "what proportion",
    "what share", "what fraction", "percent", "percentage", "ratio", "rate", "exact",
    "exactly", "average", "number of", "figure", "figures", "per month", "per year",
    "per week", "per day", "cost you", "hours", "days", "weeks",
    "多少", "比例", "百分", "几个", "几次", "几成", "多久", "多长", "占比", "具体数", "平均",
    "频率", "数据", "数字", "几天", "几周", "几个月", "几小时", "成本", "费用", "金额", "万元",
))  # fmt: skip

# Taking leave: the buyer answers a goodbye with one, never with "where were we?".
FAREWELL = CueSet((
    "goodbye", "good bye", "bye", "see you", "talk soon", "speak soon", "have a good day",
    "have a great day", "take care", "until next time", "thanks for your time",
    "thank you for your time", "i'll be in touch", "i'll let you go",
    "再见", "拜拜", "回头见", "下次见", "改天见", "先走了", "不打扰了", "告辞", "保持联系",
    "谢谢您的时间", "感谢您的时间", "谢谢你的时间",
))  # fmt: skip


def is_precise(text: str) -> bool:
    """A move that asks for numbers, or gives them to frame the question."""
    return bool(_DIGIT.search(text)) or PRECISION.found_in(text)


def is_recognition(text: str) -> bool:
    """A move that recognises or praises the buyer, their organisation or their ideas."""
    return RECOGNITION.found_in(text)


def is_closing_technique(text: str) -> bool:
    return CLOSING.found_in(text)


def is_farewell(text: str) -> bool:
    """A move that takes leave of the buyer ("Thanks for your time, goodbye.", "再见")."""
    return FAREWELL.found_in(text)
