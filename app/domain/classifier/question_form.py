"""Question form of a seller's move: whether it is a question for SPIN purposes, and whether it
is open or closed. Both read text passed through `features.normalise`. The corpus does not
label kind or open, so these are rules: requests such as "Tell me about…" or "介绍一下…"
count as questions (corpus/README.md), and SPIN.md §3.8 only reports the open/closed split.
"""

import re

from app.domain.text import has_cjk

_FILLERS = (
    r"(?:(?:so|and|but|ok|okay|well|um|uh|right|now|just|also|alright|then|hmm|oh|and so|"
    r"out of curiosity|quick question|one more thing|sorry)\b[\s,.:-]*)*"
)
_WH = r"(?:what|what's|whats|which|who|who's|whom|whose|when|where|where's|why|how|how's)"
_AUX = (
    r"(?:do|does|did|is|are|was|were|can|could|would|will|shall|should|have|has|had|may|might|"
    r"must|am|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|won't|wouldn't|can't|couldn't|"
    r"shouldn't|haven't|hasn't|any|anything|anyone|ever)"
)
_ASK_VERB = r"(?:tell|walk|talk|take|describe|explain|share|give|show|run|help|outline|paint)"
_EN_IMPERATIVE = re.compile(
    rf"^{_FILLERS}(?:please\s+)?(?:{_ASK_VERB}\s+(?:me|us)\b|describe\b|explain\b|"
    r"talk about\b|help me understand\b|i'd (?:love|like) to (?:know|hear|understand|learn)\b|"
    r"i (?:would )?(?:love|like) to (?:know|hear|understand)\b|i'm curious\b|i am curious\b|"
    r"curious\b|i (?:was|am) wondering\b|i wonder\b|let me ask\b|can i ask\b)"
)
_EN_WH_START = re.compile(rf"^{_FILLERS}{_WH}\b")
_EN_AUX_START = re.compile(rf"^{_FILLERS}{_AUX}\b")
_EN_TAG = re.compile(
    r"(?:,|\b)\s*(?:right|correct|yes|no|true|isn't it|aren't they|don't you|doesn't it|"
    r"is that right|is that correct|or not|or is there|or are they|is it)\s*$"
)
_EN_WH_ANY = re.compile(rf"(?:^|[,;:-]\s*){_FILLERS}{_WH}\b")
_EN_OPEN_REQUEST = re.compile(
    rf"^{_FILLERS}(?:can|could|would|will)\s+(?:you|we)\s+(?:please\s+)?"
    rf"(?:{_ASK_VERB}|say more|elaborate|expand|go into)\b"
)
_EN_WONDER_CLOSED = re.compile(r"\bwonder(?:ing)?\s+(?:if|whether)\b")

_ZH_PARTICLE_END = re.compile(r"(?:吗|么|呢|嘛|吧)[\s.?!~]*$")
_ZH_CLOSED_END = re.compile(r"(?:吗|么)[\s.?!~]*$")
_ZH_WH = re.compile(r"什么|怎么|怎样|如何|哪|多少|几(?!乎)|为什么|为何|啥|多久|多长|多大|谁|咋")
_ZH_A_NOT_A = re.compile(
    r"是不是|有没有|能不能|会不会|可不可以|要不要|对不对|好不好|行不行|是否|能否|可否|用不用|"
    r"有无|算不算|多不多|大不大|难不难|满不满意"
)
_ZH_IMPERATIVE = re.compile(
    r"介绍一下|说说|讲讲|谈谈|聊聊|说一下|讲一下|请问|想了解|想请教|描述一下|分享一下|具体说|展开说|"
    r"给我讲|跟我说|帮我理解"
)


_AFTER_SENTENCE = re.compile(r"(?<=[.?!;])\s*")
_AFTER_STATEMENT = re.compile(r"(?<=[.!;])\s*")


def _last_clause(normalised: str) -> str:
    """The last sentence with words in it (a question often follows a preamble)."""
    parts = [p.strip() for p in _AFTER_SENTENCE.split(normalised)]
    parts = [p for p in parts if any(c.isalnum() for c in p)]
    return parts[-1] if parts else normalised


def question_clause(normalised: str) -> str:
    """The sentence carrying the question mark, else the last sentence."""
    for part in reversed(_AFTER_STATEMENT.split(normalised)):
        if "?" in part and any(c.isalnum() for c in part):
            return part.strip()
    return _last_clause(normalised)


_WORD = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_FILLER_ONLY = re.compile(
    r"^(?:ok|okay|so|right|well|um|uh|hmm|yes|yeah|no|sure|got it|i see|and|but|好|好的|嗯|哦|"
    r"对|是|行|明白|了解|那|那么|然后|ok好)$"
)


def compound_parts(normalised: str) -> tuple[str, str] | None:
    """(question, rest) when a question shares the move with a statement of its own
    ("Great point. How do you handle X?", "Our tool does Y. How many users do you have?",
    "How many users? Our tool has no limit."), else None. The question is the last sentence
    with a question mark, else the last sentence if it reads as one. Fillers ("ok.",
    "好的。") do not make a move compound."""
    parts = [p.strip() for p in _AFTER_SENTENCE.split(normalised)]
    parts = [p for p in parts if any(c.isalnum() for c in p)]
    if len(parts) < 2:
        return None
    asked = [i for i, part in enumerate(parts) if "?" in part]
    index = asked[-1] if asked else len(parts) - 1
    if not asked and not is_question(parts[index]):
        return None
    rest = " ".join(parts[:index] + parts[index + 1 :]).strip(" .,;:!?-~")
    if _FILLER_ONLY.match(rest) or (len(_WORD.findall(rest)) < 2 and len(_HAN.findall(rest)) < 3):
        return None
    return parts[index], rest


def is_brief(clause: str) -> bool:
    """A question too short to carry a move of its own ("Yes?", "Is that right?", "能看到吗？"):
    the statement beside it says what the move is (a proposal, a summary, logistics)."""
    return len(_WORD.findall(clause)) < 4 and len(_HAN.findall(clause)) < 6


def is_question(normalised: str) -> bool:
    """A question for SPIN purposes: a question mark anywhere, interrogative word order or
    wh-words, Chinese particles and question words, and requests such as "Tell me about…" or
    "介绍一下…" (SPIN.md §1 counts imperatives as questions)."""
    if "?" in normalised:
        return True
    clause = _last_clause(normalised)
    if _EN_WH_START.search(clause) or _EN_AUX_START.search(clause) or _EN_TAG.search(clause):
        return True
    if _EN_IMPERATIVE.search(clause) or _EN_IMPERATIVE.search(normalised):
        return True
    if _ZH_PARTICLE_END.search(clause) and not clause.rstrip(" .!~").endswith("吧"):
        return True
    return bool(
        _ZH_WH.search(clause) or _ZH_A_NOT_A.search(clause) or _ZH_IMPERATIVE.search(clause)
    )


def is_open_question(normalised: str) -> bool:
    """Open (invites a free answer) or closed (yes/no, a choice). Decided on the clause that
    carries the question, after fillers such as "so," or "ok,"."""
    clause = question_clause(normalised)
    if has_cjk(clause):
        if _ZH_CLOSED_END.search(clause) or _ZH_A_NOT_A.search(clause):
            return False
        return bool(_ZH_WH.search(clause) or _ZH_IMPERATIVE.search(clause))
    if _EN_WONDER_CLOSED.search(clause):
        return False
    if _EN_WH_START.search(clause) or _EN_IMPERATIVE.search(clause):
        return True
    if _EN_OPEN_REQUEST.search(clause):
        return True
    if _EN_AUX_START.search(clause) or _EN_TAG.search(clause):
        return False
    return bool(_EN_WH_ANY.search(clause) or re.search(rf"\b{_WH}\b", clause))
