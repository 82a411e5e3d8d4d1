"""Calibration (issue 5.7) through the whole offline pipeline (`simulate`: classifier,
director, scripted voice, scorecard): a call that follows S → P → I → N on one problem and
proposes a concrete next step must score clearly higher than ten situation questions and an
early feature pitch, for every buyer style and in both languages."""

import pytest

from app.adapters.persona_files.feedback import load_feedback
from app.adapters.persona_files.scenarios import Catalog, load_catalog
from app.domain.classifier.model import load_bundled_classifier
from app.domain.language import Language
from app.domain.style import StyleName
from app.services.scoring import Scoring
from app.services.simulation import Simulated, simulate
from app.services.voice.scripted import ScriptedVoice
from tests.support.paths import PERSONAS

pytestmark = pytest.mark.anyio

GOOD = {
    Language.EN: [
        "Good morning, thanks for making time today.",
        "I heard your team won the supplier quality award this year, congratulations.",
        "How many operators run the lines on each shift at the moment?",
        "How satisfied are you with how long new operators stay with you?",
        "What does it cost you when an operator leaves and you have to train a replacement?",
        "If new operators could run an old cell safely after two weeks, how would that help?",
        "Why is it important to you to reduce that dependence on a few experts?",
        "Would you be open to a two-week pilot on one cell, with Mr Chen joining the review?",
    ],
    Language.ZH: [
        "您好，谢谢您今天抽时间见我。",
        "听说你们今年拿了供应商质量奖，真不容易，恭喜！",
        "现在每个班大概有多少名操作工？",
        "操作工老是离职，这让您头疼吗？",
        "每走一个操作工、再培养新人，一年下来大概要付出多少成本？",
        "如果新人两周就能独立操作老设备，人员流失的成本会有什么变化？",
        "减少对几位老师傅的依赖，对您来说为什么重要？",
        "我们能不能先改一台设备做两周试点，请陈总一起参加评估？",
    ],
}
POOR = {
    Language.EN: [
        "How many plants do you have?",
        "How many lines are in each plant?",
        "How many operators do you employ?",
        "What brand are your machines?",
        "How old are the machines?",
        "Who maintains them?",
        "What shifts do you run?",
        "What is your annual output?",
        "What ERP do you use?",
        "How many supervisors do you have?",
        "Our system has a touch-screen interface and automatic diagnostics.",
        "Can I send you the contract today?",
    ],
    Language.ZH: [
        "你们有几个工厂？",
        "每个厂有几条线？",
        "一共有多少操作工？",
        "设备是什么牌子的？",
        "设备用了几年了？",
        "谁负责维护？",
        "你们怎么排班？",
        "一年产量多少？",
        "用的什么ERP？",
        "有几个班组长？",
        "我们的系统有触摸屏界面和自动诊断功能。",
        "今天我就把合同发给您好吗？",
    ],
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(PERSONAS)


@pytest.fixture(scope="module")
def scoring() -> Scoring:
    return Scoring(messages=load_feedback(PERSONAS / "feedback.yaml"))


async def run(
    moves: list[str], style: StyleName, language: Language, catalog: Catalog, scoring: Scoring
) -> Simulated:
    return await simulate(
        moves,
        scenario=catalog.scenarios["plant-operators"],
        style=style,
        language=language,
        styles=catalog.styles,
        classifier=load_bundled_classifier(),
        voice=ScriptedVoice(catalog.styles),
        scoring=scoring,
    )


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("style", list(StyleName))
async def test_spin_sequence_beats_situation_questions_and_early_pitch(
    style: StyleName, language: Language, catalog: Catalog, scoring: Scoring
) -> None:
    good = await run(GOOD[language], style, language, catalog, scoring)
    poor = await run(POOR[language], style, language, catalog, scoring)
    assert "operator-turnover" in good.state.problems
    assert good.state.implications
    assert good.state.needs
    assert good.scorecard.overall >= poor.scorecard.overall + 35, (
        good.scorecard.overall,
        poor.scorecard.overall,
    )


async def test_simulation_is_deterministic_for_a_seed(catalog: Catalog, scoring: Scoring) -> None:
    first = await run(GOOD[Language.EN], StyleName.DRIVER, Language.EN, catalog, scoring)
    second = await run(GOOD[Language.EN], StyleName.DRIVER, Language.EN, catalog, scoring)
    assert [t.text for t in first.turns] == [t.text for t in second.turns]
    assert first.scorecard.overall == second.scorecard.overall
