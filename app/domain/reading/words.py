"""Words of a move or a scenario text as both matchers see them: folded, English words and
light stems (with and without scaffolding words), Chinese character bigrams."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.domain.text import CJK_RUN, fold

_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
LATIN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Words that carry no topic: question scaffolding and pronouns.
EN_STOPWORDS_TEXT = (
    "a an the of to in on at for with by from and or but is are was were be been being do does "
    "did doing have has had having i me my we us our you your he she it its they them their "
    "this that these those there here what which who whom whose when where why how can could "
    "would should will shall may might must about any some much many more most so if then than "
    "as into out up down over just also very really tell please get got currently today now "
    # SPIN scaffolding: every problem or implication question uses these, whatever its topic.
    "effect effects impact impacts affect affects lead leads cause causes help helps mean means "
    "problem problems issue issues difficult difficulty difficulties challenge challenges happen "
    "happens result results consequence consequences think feel like way ways thing things "
    "push pushes pushed pushing force forces forced forcing end ends ended "
    # Words any topic can use; they name none.
    "new good great nice big bit lot lots kind sort part sure okay ok well still even ever "
    "never always often sometimes already yet again each every other others another same own "
    "whole "
    "next last first look looks looking hear heard know knew say said find found see seen "
    "go going gone goes come comes coming give giving given take taking make making get "
    "getting gets put let lets keep want wants need needs one ones time times "
    # How a problem question asks, whatever the topic: the topic is in the other words.
    "worry worried worries worrying concern concerns concerned trouble troubles troubling "
    "headache headaches hassle hassles grief struggle struggles struggling happy satisfied "
    "smooth smoothly easy easily hard tough pain painful frustrating frustrated annoying "
    "bother bothers nightmare sore messy tricky okay fine "
    # How precisely a question asks (move_cues.PRECISION reads that); the topic is elsewhere.
    "exact exactly precisely roughly approximately around average typically usually "
    # What is left of a contraction once the apostrophe splits it ("how's", "don't").
    "s t d ll re ve m"
)
EN_STOPWORDS = frozenset(EN_STOPWORDS_TEXT.split())
# Bigrams that appear in almost any Chinese question and would match every cue.
ZH_STOPGRAMS_TEXT = (
    "什么 怎么 怎样 如何 我们 你们 您们 他们 是否 有没 没有 多少 一个 这个 那个 哪些 哪个 "
    "现在 目前 情况 问题 方面 请问 一下 可以 能否 是不 不是 的话 时候 时间 公司 工作 业务 "
    "影响 导致 带来 如果 帮助 意味 觉得 认为 困难 麻烦 挑战 头疼 担心 满意 还有 有哪 哪里 "
    # How a problem question asks in Chinese, whatever the topic.
    "压力 顺手 顺利 吃力 费劲 操心 发愁 困扰 闹心 烦心 头痛 不麻 麻不 满不 意吗 大不 不大 "
    "多不 不多 行不 不行 好不 不好 顺不 不顺 有没 没有 是不 会不 不会 能不 不能 心里 没底 "
    "具体 大概 大约 一般 通常 介绍 说说 讲讲 聊聊 谈谈"
)
ZH_STOPGRAMS = frozenset(ZH_STOPGRAMS_TEXT.split())
# Single characters that carry grammar, not topic: with the stopgrams' characters they never
# count as words the scenario does not know.
ZH_FUNCTION_CHARS = frozenset(
    "的了吗呢吧啊呀么多少几怎什有是在你您我他她它们个这那和与及或就都也还很太又再把被让给对从向到为之其此些得地着过会要能"
)
# English suffixes stripped by the light stemmer, longest first.
_SUFFIXES = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ions",
    "ion",
    "ers",
    "er",
    "ors",
    "or",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "s",
)
PREFIX_MIN = 5  # shared prefix length that lets two unstemmed words count as related


def normalise(text: str) -> str:
    """Lowercase, full-width forms folded to half-width (NFKC), punctuation turned to spaces."""
    folded = fold(text)
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def stem(word: str) -> str:
    """A light English stemmer: `trained`, `training`, `trains` → `train`; `downtimes` and
    `downtime` → `downtim`. Only consistency matters, not linguistic roots."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            break
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix == "ies" or suffix == "ied":
                word += "y"
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsaeiou":
        word = word[:-1]  # stopped → stop, running → run
    return word


def stems_of(text: str) -> list[str]:
    """The content stems of a short phrase, in order (a cue)."""
    return [stem(w) for w in LATIN_WORD.findall(normalise(text)) if w not in EN_STOPWORDS]


def words_of(text: str) -> tuple[str, ...]:
    """Every word of a short phrase, in order, scaffolding included (a lexicon term)."""
    return tuple(LATIN_WORD.findall(normalise(text)))


def bigrams(run: str) -> Iterator[str]:
    return (run[i : i + 2] for i in range(len(run) - 1))


@dataclass(frozen=True, slots=True)
class TextTerms:
    """`all_stems` keeps scaffolding words (for lexicon phrases); `stems` and `grams` are
    the content the matchers score."""

    folded: str
    words_seq: tuple[str, ...]
    stem_seq: tuple[str, ...]
    all_stems: frozenset[str]
    stems: frozenset[str]
    grams: frozenset[str]
    chars: frozenset[str]
    content_chars: frozenset[str]  # chars less function characters and stopgrams'


def terms_of(text: str) -> TextTerms:
    norm = normalise(text)
    words = LATIN_WORD.findall(norm)
    grams: set[str] = set()
    chars: set[str] = set()
    function: set[str] = set()
    for run in CJK_RUN.findall(norm):
        chars.update(run)
        run_grams = list(bigrams(run))
        grammar = {c for g in run_grams if g in ZH_STOPGRAMS for c in g} | ZH_FUNCTION_CHARS
        function.update(c for c in grammar if c in run)
        # A bigram of grammatical characters only ("有什" of 有什么, "么影" between 什么 and
        # 影响) names no topic.
        grams.update(g for g in run_grams if g not in ZH_STOPGRAMS and not set(g) <= grammar)
    return TextTerms(
        folded=fold(text),
        words_seq=tuple(words),
        stem_seq=tuple(stem(w) for w in words),
        all_stems=frozenset(stem(w) for w in words),
        stems=frozenset(stem(w) for w in words if w not in EN_STOPWORDS),
        grams=frozenset(grams),
        chars=frozenset(chars),
        content_chars=frozenset(chars - function - ZH_FUNCTION_CHARS),
    )
