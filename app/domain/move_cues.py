"""Cue phrases the scorecard recognises in trainee moves (advantages, references to the buyer's
words, quantities, closing techniques, recognition), and how much text a turn holds.

These lists recognise behaviour; they are never shown to users. Both scripts are matched
whatever the session language, because bilingual trainees mix them.
"""

import re
import unicodedata
from collections.abc import Iterable

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_DIGIT = re.compile(r"\d")

# What the product does or can do (SPIN.md §2: an advantage); a pitch without one of these
# says only what the product is or has (a feature).
ADVANTAGE = (
    "can", "could", "will", "would", "lets you", "let you", "allows", "allow you", "helps",
    "help you", "enables", "reduces", "reduce", "cuts", "cut", "saves", "save", "speeds up",
    "faster", "quicker", "improves", "improve", "so you", "so that", "means you", "avoid",
    "avoids", "prevents", "eliminates", "lowers", "boosts", "increases",
    # Not a bare 能: it sits inside 功能, 性能 and 智能, which name features.
    "可以", "能够", "能帮", "能让", "能把", "就能", "都能", "帮助", "帮您", "帮你", "减少", "节省",
    "提高", "提升", "降低", "加快", "避免", "让您", "让你", "省去", "缩短",
)  # fmt: skip
# The seller ties the claim to what the buyer said (a benefit when a need is explicit).
REFERENCE = (
    "you said", "you mentioned", "you told me", "as you said", "you need", "you wanted",
    "you want", "your goal", "you'd like", "you would like", "you were saying",
    "您提到", "你提到", "您说", "你说", "您刚才", "你刚才", "您需要", "你需要", "您希望",
    "你希望", "正如您", "您的目标",
)  # fmt: skip
# A quantity asked for (SPIN.md §4, analytical: precise, quantified questions); digits count.
QUANTITY = (
    "how much", "how many", "how long", "how often", "what percentage", "percent",
    "percentage", "cost", "costs", "hours", "days", "weeks", "minutes", "dollars", "money",
    "rate", "number", "figure", "figures", "per", "budget", "revenue", "margin", "roi", "hour",
    "day", "week", "minute", "month", "months", "year", "years",
    # Not bare 天, 次, 周, 万 or 元: they sit inside 今天, 这次, 周末, 万一 and 单元.
    "多少", "几", "多久", "多长", "百分", "比例", "成本", "费用", "小时", "每天", "每周", "每月",
    "每次", "次数", "天数", "万元", "钱", "金额", "数据", "比率", "多大",
)  # fmt: skip
# Closing techniques: assumptive, alternative, scarcity (SPIN.md §3.7).
CLOSING = (
    "sign today", "sign now", "sign the contract", "today only", "this week only",
    "only this week", "limited time", "limited offer", "offer ends", "before the price",
    "price goes up", "last chance", "only a few left", "ready to sign", "send the contract",
    "send over the contract", "place the order", "order today", "go ahead with the order",
    "don't miss", "lock in", "which package", "sign up today",
    "今天签", "今天就签", "签合同", "签约吧", "马上签", "现在下单", "下单吧", "名额有限", "限时",
    "优惠截止", "最后机会", "别错过", "不要错过", "锁定价格", "涨价前", "今天就定",
)  # fmt: skip
# Recognising the buyer's ideas (SPIN.md §4, expressive: recognition, attention, praise).
RECOGNITION = (
    "great idea", "good idea", "good point", "great point", "you mentioned", "as you said",
    "your idea", "your vision", "your plan", "impressive", "that's exciting", "love that",
    "you've built", "you have built", "well done", "congratulations", "you're right",
    "您提到", "您说得", "您的想法", "好主意", "有远见", "了不起", "厉害", "佩服", "您的愿景",
    "正如您", "说得对", "恭喜",
)  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'")


def has_cue(text: str, cues: Iterable[str]) -> bool:
    """True when the text holds one of the cues: English as whole words or phrases, Chinese
    as a substring."""
    folded = _fold(text)
    for cue in cues:
        if _CJK.search(cue):
            if cue in folded:
                return True
        elif re.search(rf"(?<![a-z0-9']){re.escape(cue)}(?![a-z0-9])", folded):
            return True
    return False


def is_quantified(text: str) -> bool:
    return bool(_DIGIT.search(text)) or has_cue(text, QUANTITY)


def count_units(text: str) -> int:
    """Words for English and characters for Chinese, on one scale: each Latin word or number
    counts one, each Chinese character counts one, punctuation nothing. A pure English turn
    thus counts its words, a pure Chinese one its characters."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text))
