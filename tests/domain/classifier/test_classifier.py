"""The offline SPIN classifier: labels in both languages, the hard pairs of SPIN.md §1, robustness
to odd input, and the shipped artifact's link to the corpus it was trained on."""

import hashlib
import json
from pathlib import Path

import pytest

from app.domain.classifier.features import FeatureOptions, normalise
from app.domain.classifier.model import (
    ModelClass,
    OfflineClassifier,
    load_bundled_classifier,
    load_classifier_document,
)
from app.domain.classifier.question_form import compound_parts
from app.domain.labels import Label, Move, MoveContext, MoveKind, SpinLabel
from app.domain.language import Language, detect_language
from tests.support.paths import ROOT

ARTIFACT = ROOT / "app" / "domain" / "classifier" / "spin_model.json"

SIT, PRO, IMP, NEED, OTH = (
    SpinLabel.SITUATION,
    SpinLabel.PROBLEM,
    SpinLabel.IMPLICATION,
    SpinLabel.NEED_PAYOFF,
    SpinLabel.OTHER,
)


def classify(text: str, *, previous: tuple[str, ...] = ()) -> Label:
    return load_bundled_classifier().classify(text, context=MoveContext(previous=previous))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How many technicians are on call over the weekend?", SIT),
        ("Which accounting software does the finance team use at the moment?", SIT),
        ("What frustrates your dispatchers most about the routing tool?", PRO),
        ("Are you satisfied with how long it takes to close a claim?", PRO),
        ("How do those late shipments affect your standing with the big retailers?", IMP),
        ("What does all that rework cost you in overtime each month?", IMP),
        ("If your planners could rebuild the schedule in minutes, how would that help?", NEED),
        ("How valuable would it be to see every site's stock on one screen?", NEED),
        ("Our scheduling module plugs straight into your existing ERP.", OTH),
        ("Good morning, thanks for making time for me today.", OTH),
    ],
)
def test_classify_gives_each_label_in_english(text: str, expected: SpinLabel) -> None:
    assert classify(text).label is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("你们物流中心现在有多少名叉车司机？", SIT),
        ("目前的订单是通过什么系统录入的？", SIT),
        ("现在的报销流程有哪些让财务头疼的地方？", PRO),
        ("您对目前供应商的响应速度满意吗？", PRO),
        ("这些延误对你们和大客户的合作会有什么影响？", IMP),
        ("设备老是停机，每个月因此损失多少产值？", IMP),
        ("如果审批时间能缩短一半，对您的团队有什么帮助？", NEED),
        ("要是每个门店的库存都能实时看到，对您来说价值大吗？", NEED),
        ("我们的平台已经服务了两百多家连锁药店。", OTH),
        ("张经理您好，谢谢您今天抽空见我。", OTH),
    ],
)
def test_classify_gives_each_label_in_chinese(text: str, expected: SpinLabel) -> None:
    assert classify(text).label is expected


def test_situation_and_problem_are_told_apart_by_dissatisfaction() -> None:
    assert classify("How many people staff the help desk on a Monday?").label is SIT
    assert classify("What annoys the help desk staff most on a Monday?").label is PRO
    assert classify("你们客服中心周一有多少人值班？").label is SIT
    assert classify("客服中心周一最让你们头疼的是什么？").label is PRO


def test_problem_and_implication_are_told_apart_by_consequence() -> None:
    assert classify("Do you have trouble getting parts delivered on time?").label is PRO
    assert classify("When parts arrive late, how does that hold up your repair jobs?").label is IMP
    assert classify("配件到货会不会经常延迟？").label is PRO
    assert classify("配件一延迟，对维修工单的完成率有什么影响？").label is IMP


def test_implication_and_need_payoff_are_told_apart_by_their_object() -> None:
    assert classify("What is that backlog costing you each month?").label is IMP
    assert (
        classify("If the backlog cleared itself every night, what would that do for you?").label
        is NEED
    )
    assert classify("这个积压每个月让你们多花多少钱？").label is IMP
    assert classify("如果积压每天都能清零，对您的部门意味着什么？").label is NEED


def test_need_payoff_question_and_seller_claim_are_told_apart() -> None:
    question = classify("How would it help your reps to have a quote ready in five minutes?")
    claim = classify("Our tool gets your reps a quote in five minutes.")
    assert question.label is NEED
    assert (claim.label, claim.move, claim.kind) == (OTH, Move.PITCH, MoveKind.STATEMENT)
    zh_question = classify("如果报价五分钟就能出来，对销售团队有什么好处？")
    zh_claim = classify("用我们的系统，报价五分钟就能出来。")
    assert zh_question.label is NEED
    assert (zh_claim.label, zh_claim.move) == (OTH, Move.PITCH)


def test_downtime_effect_question_is_implication() -> None:
    assert classify("How does that downtime affect your shipping schedule?").label is IMP


def test_your_production_is_not_a_pitch() -> None:
    result = classify("How is your production scheduled?")
    assert result.label is SIT
    assert result.kind is MoveKind.QUESTION


@pytest.mark.parametrize(
    "text",
    [
        "If you don't replace those pumps, the regulator will shut you down.",
        "Without a backup line you're going to lose the supermarket contract.",
        "要是再不升级系统，你们明年肯定会丢掉大客户。",
    ],
)
def test_seller_asserted_consequence_is_a_statement(text: str) -> None:
    result = classify(text)
    assert result.label is OTH
    assert result.kind is MoveKind.STATEMENT
    assert result.open is None


@pytest.mark.parametrize(
    "text",
    [
        "You don't really have problems with the payroll run, do you?",
        "I suppose there's nothing much wrong with the current ticketing setup?",
        "我猜你们的排班系统应该没什么问题吧？",
    ],
)
def test_negated_or_hedged_problem_question_is_problem(text: str) -> None:
    assert classify(text).label is PRO


def test_very_short_moves_get_sensible_labels() -> None:
    assert classify("Thanks!").label is OTH
    assert classify("好的。").label is OTH
    assert classify("Headcount?").kind is MoveKind.QUESTION


def test_very_long_move_is_labelled_by_its_question() -> None:
    preamble = (
        "Thanks for walking me round the plant this morning, it was really useful to see the "
        "new packing hall and to meet the shift leads, and I know you have a board meeting at "
        "two so I will keep this tight. "
    )
    text = preamble * 3 + "What are the hardest parts of keeping the night shift fully staffed?"
    result = classify(text)
    assert result.label is PRO
    assert 0.0 <= result.confidence <= 1.0


def test_emoji_do_not_break_labels() -> None:
    assert classify("Thanks so much for your time today 🙏😊").label is OTH
    assert classify("你们现在用的是哪家的财务软件？🤔").label is SIT


def test_traditional_characters_get_the_simplified_label() -> None:
    traditional = "這些延誤對你們的客戶滿意度有什麼影響？"
    simplified = "这些延误对你们的客户满意度有什么影响？"
    assert normalise(traditional) == normalise(simplified)
    assert classify(traditional).label is classify(simplified).label is IMP


def test_mixed_script_move_gets_a_sensible_label() -> None:
    assert classify("那个 downtime 对你们的 delivery 有什么影响？").label is IMP
    assert classify("你们的 CRM 现在有多少个 users？").label is SIT


def test_full_width_latin_is_folded() -> None:
    assert normalise("ＨＯＷ ＭＡＮＹ ｓｉｔｅｓ？") == "how many sites?"
    assert classify("ＨＯＷ ＭＡＮＹ ｓｉｔｅｓ do you run？").label is SIT


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u3000"])
def test_empty_move_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="empty move"):
        classify(text)


def test_confidence_is_a_probability_and_source_is_offline() -> None:
    for text in ("Budget cycle?", "我们的方案性价比最高。", "x", "??", "🙂", "1234"):
        result = classify(text)
        assert 0.0 <= result.confidence <= 1.0
        assert result.source == "offline"
        assert result.topics == ()


def test_spin_question_has_no_move_and_other_has_one() -> None:
    spin = classify("What happens to your margins when the carriers raise their rates?")
    other = classify("Shall we pencil in the pilot for next Thursday?")
    assert spin.move is None
    assert (other.label, other.move, other.kind) == (OTH, Move.COMMITMENT, MoveKind.QUESTION)
    assert other.open is False


@pytest.mark.parametrize(
    ("text", "is_open"),
    [
        ("Tell me about how new starters are trained", True),
        ("Do you run the payroll in house?", False),
        ("So, what happens when the line goes down?", True),
        ("Could you walk me through the approval steps?", True),
        ("I was wondering whether the budget is set centrally", False),
        ("介绍一下你们现在的审批流程。", True),
        ("你们有没有遇到过数据丢失？", False),
        ("客户投诉一般是怎么处理的？", True),
        ("仓库现在是两班倒吗", False),
    ],
)
def test_questions_are_open_or_closed(text: str, is_open: bool) -> None:
    result = classify(text)
    assert result.kind is MoveKind.QUESTION
    assert result.open is is_open


def test_statement_has_no_open_flag() -> None:
    result = classify("Great to meet you, and congratulations on the new warehouse.")
    assert (result.kind, result.open, result.move) == (MoveKind.STATEMENT, None, Move.RAPPORT)


def test_problem_on_the_table_tips_a_close_call_towards_implication() -> None:
    classifier = load_bundled_classifier()
    move = "And what does that mean for the people on the line?"
    answer = "Honestly, they break down two or three times a week and it is a real headache."
    context = MoveContext(previous=("How often do the presses stop?", answer), buyer_said=answer)
    implication = ModelClass(IMP, None)
    alone = classifier.probabilities(move)[implication]
    with_context = classifier.probabilities(move, context=context)[implication]
    assert with_context > alone
    assert classifier.classify(move, context=context).label is IMP


def test_a_consequence_question_leans_to_problem_before_any_difficulty_is_voiced() -> None:
    # SPIN.md §1: an implication develops a problem already on the table. Asked while the
    # call has none, "what happens to X when Y?" is nearer to inviting the buyer to voice one.
    classifier = load_bundled_classifier()
    move = "When a salesperson leaves, what happens to the customers who only have their number?"
    calm = "We have twelve salespeople, each with their own patch."
    before = MoveContext(previous=("How is the sales team organised?", calm), buyer_said=calm)
    admitted = "Turnover is a real problem, we lost three reps this year."
    after = MoveContext(
        previous=("How is the sales team organised?", admitted),
        buyer_said=admitted,
        problem_on_table=True,
    )
    problem = ModelClass(PRO, None)
    assert (
        classifier.probabilities(move, context=before)[problem]
        > classifier.probabilities(move, context=after)[problem]
    )
    assert classifier.classify(move, context=after).label is IMP


def test_isolated_sentences_get_no_context_features() -> None:
    classifier = load_bundled_classifier()
    move = "And what does that mean for the people on the line?"
    assert classifier.probabilities(move, context=MoveContext()) == classifier.probabilities(move)


def test_explicit_language_is_accepted() -> None:
    result = load_bundled_classifier().classify("你们的 ERP 是哪一年上线的？", language=Language.ZH)
    assert result.label is SIT


def test_language_is_chinese_when_ideographs_outnumber_latin_words() -> None:
    expected = {
        "How many sites?": Language.EN,
        "我们的 ERP 系统 downtime 多久？": Language.ZH,
        "ok 好": Language.ZH,
        "a b c 好的": Language.EN,
        "貴公司 uses SAP and Oracle": Language.EN,
        "🙂": Language.EN,
    }
    for text, language in expected.items():
        assert detect_language(text) is language, text


def test_bundled_classifier_is_loaded_once() -> None:
    assert load_bundled_classifier() is load_bundled_classifier()


def test_malformed_artifact_is_rejected() -> None:
    with pytest.raises(ValueError, match="format"):
        load_classifier_document(json.dumps({"format": 99}))
    with pytest.raises(ValueError, match="lacks"):
        load_classifier_document(json.dumps({"format": 1, "classes": []}))


def test_classifier_built_in_memory_sums_feature_weights() -> None:
    classifier = OfflineClassifier(
        classes=[ModelClass(SIT, None), ModelClass(OTH, Move.PITCH)],
        intercepts=[-0.5, 0.5],
        weights={"w:sap": (5000, -5000)},
        options=FeatureOptions(),
        weight_scale=1000,
    )
    assert classifier.classify("do you use sap").label is SIT
    assert classifier.classify("we sell trucks").label is OTH


def _artifact_header() -> dict[str, object]:
    document = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_artifact_was_trained_on_the_current_corpus_files() -> None:
    header = _artifact_header()
    recorded = header["training_files"]
    assert isinstance(recorded, list)
    current = sorted((ROOT / "corpus").glob("train_*.jsonl"))
    assert [entry["path"] for entry in recorded] == [
        path.relative_to(ROOT).as_posix() for path in current
    ], "the training files changed: run scripts/train_classifier.py"
    for entry, path in zip(recorded, current, strict=True):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["sha256"] == digest, f"{path.name} changed: run scripts/train_classifier.py"


def test_artifact_stays_small() -> None:
    assert ARTIFACT.stat().st_size < 3_000_000


def test_heldout_moves_never_appear_in_the_training_files() -> None:
    def texts(path: Path) -> set[str]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {normalise(json.loads(line)["text"]) for line in lines if line.strip()}

    training: set[str] = set()
    for path in sorted((ROOT / "corpus").glob("train_*.jsonl")):
        training |= texts(path)
    heldout = texts(ROOT / "corpus" / "heldout.jsonl")
    assert heldout, "the held-out file is empty"
    duplicated = sorted(heldout & training)
    assert not duplicated, f"held-out moves also in training files: {duplicated}"


def _buyer(said: str) -> MoveContext:
    return MoveContext(previous=(said,), buyer_said=said, problem_on_table=False)


def test_effect_question_after_the_buyer_admits_a_difficulty_leans_to_implication() -> None:
    classifier = load_bundled_classifier()
    move = "And what happens to the orders then?"
    implication = ModelClass(IMP, None)
    admitted = _buyer("Honestly, the line stops twice a week and it is a real headache.")
    neutral = _buyer("We have two lines and about forty people.")
    assert (
        classifier.probabilities(move, context=admitted)[implication]
        > classifier.probabilities(move, context=neutral)[implication]
    )
    assert classifier.classify(move, context=admitted).label is IMP


def test_problem_on_the_table_from_the_discovery_state_counts_as_context() -> None:
    classifier = load_bundled_classifier()
    move = "How does that affect the night shift?"
    on_table = MoveContext(
        previous=("Two shifts.",), buyer_said="Two shifts.", problem_on_table=True
    )
    implication = ModelClass(IMP, None)
    assert (
        classifier.probabilities(move, context=on_table)[implication]
        > classifier.probabilities(move, context=_buyer("Two shifts."))[implication]
    )


def test_is_that_a_problem_after_a_fact_is_a_problem_question() -> None:
    context = _buyer("We still print every delivery note and file it by hand.")
    assert classify_in("Is that a problem for you?", context).label is PRO
    assert (
        classify_in("这个对你们来说是个问题吗？", _buyer("我们还是每张单子手工录入。")).label is PRO
    )


def classify_in(text: str, context: MoveContext) -> Label:
    return load_bundled_classifier().classify(text, context=context)


@pytest.mark.parametrize(
    ("text", "expected", "secondary"),
    [
        ("Great point. How do you handle the returns that come back damaged?", PRO, Move.RAPPORT),
        (
            "Our tool reconciles the bank feeds every night. How many bank accounts do you run?",
            SIT,
            Move.PITCH,
        ),
        ("您说得太对了。那现在库存盘点是怎么做的？", SIT, Move.RAPPORT),
        ("我们的平台可以对接主流的ERP。你们现在用的是哪一家？", SIT, Move.PITCH),
    ],
)
def test_compound_move_is_labelled_by_its_question_with_the_rest_as_secondary(
    text: str, expected: SpinLabel, secondary: Move
) -> None:
    result = classify(text)
    assert result.label is expected
    assert result.kind is MoveKind.QUESTION
    assert result.secondary is secondary


def test_a_single_question_or_a_filler_has_no_secondary() -> None:
    assert classify("How many sites do you run?").secondary is None
    assert classify("OK. How many sites do you run?").secondary is None
    assert classify("好的。你们有几个仓库？").secondary is None


def test_a_proposal_asking_if_it_would_help_is_a_commitment_not_need_payoff() -> None:
    proposal = classify("I can put together a one-page plan for your CFO, would that be helpful?")
    assert (proposal.label, proposal.move) == (OTH, Move.COMMITMENT)
    assert classify("要不我先给您出一个两家门店的试点方案，对您有帮助吗？").move is Move.COMMITMENT
    value = classify("Would it help if your planners could see every delay a day early?")
    assert value.label is NEED


@pytest.mark.parametrize(
    "text",
    ["How has your week been going?", "王总最近忙不忙呀？", "Did you get away anywhere at Easter?"],
)
def test_small_talk_phrased_as_a_question_is_rapport(text: str) -> None:
    result = classify(text)
    assert (result.label, result.move) == (OTH, Move.RAPPORT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The failure patterns issue 12 reports, as regression tests (none is a training line).
        ("Why does it fall off? Is it the capital budget, or the fear of losing production?", PRO),
        ("您畅想一下，要是报修都能当天闭环，业主群里会是什么气氛？", NEED),
        ("张总，界面今天不看了。直接问：新系统上了以后，您希望哪个指标先变好？", NEED),
    ],
)
def test_issue_12_failure_patterns_get_their_label(text: str, expected: SpinLabel) -> None:
    assert classify(text).label is expected


@pytest.mark.parametrize(
    ("text", "buyer_said"),
    [
        ("审核要走多久", "资质审核这块，业务部门一直在吐槽。"),
        ("How long does the sign-off usually take?", "Sign-off is a bit of a sore point here."),
    ],
)
def test_measuring_a_hinted_difficulty_is_a_problem_question(text: str, buyer_said: str) -> None:
    # corpus/README.md rule 12: the size of the difficulty itself is P, its effects are I.
    assert classify_in(text, _buyer(buyer_said)).label is PRO


def test_scores_are_a_distribution_over_all_five_labels() -> None:
    for text in ("How many sites?", "我们的系统很好用。", "What does the delay cost you?"):
        result = classify(text)
        assert set(result.scores) == set(SpinLabel)
        assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert result.scores[result.label] == max(result.scores.values())
        assert result.confidence == result.scores[result.label]


def test_the_artifact_carries_a_fitted_temperature() -> None:
    temperature = _artifact_header()["temperature"]
    assert isinstance(temperature, float)
    assert temperature > 0
    assert temperature != 1.0  # fitted on out-of-fold logits, not left at the default


def test_temperature_softens_the_distribution_without_changing_the_label() -> None:
    def build(temperature: float) -> OfflineClassifier:
        return OfflineClassifier(
            classes=[ModelClass(SIT, None), ModelClass(OTH, Move.PITCH)],
            intercepts=[0.0, 0.0],
            weights={"w:sap": (3000, -3000)},
            options=FeatureOptions(),
            weight_scale=1000,
            temperature=temperature,
        )

    sharp, soft = build(1.0).classify("do you use sap"), build(3.0).classify("do you use sap")
    assert sharp.label is soft.label is SIT
    assert soft.confidence < sharp.confidence
    with pytest.raises(ValueError, match="temperature"):
        build(0.0)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("great point. how do you handle x?", ("how do you handle x?", "great point")),
        ("how many users? our tool has no limit.", ("how many users?", "our tool has no limit")),
        ("ok. how many sites?", None),
        ("how many sites do you run?", None),
        ("we sell trucks. they are good.", None),
    ],
)
def test_compound_parts_split_a_question_from_its_statement(
    text: str, parts: tuple[str, str] | None
) -> None:
    assert compound_parts(text) == parts
