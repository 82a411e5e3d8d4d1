"""The linguistic cue layer of the offline classifier: the cues behind SPIN.md §1's hard
distinctions (S/P, P/I, I/N, N vs seller claims, seller-asserted consequences).

Every function reads text already passed through `features.normalise` (lowercase, Simplified,
ASCII punctuation). The cues become model features, so their weights are learned, not guessed.
"""

import re

from app.domain.classifier.question_form import is_question, question_clause
from app.domain.text import CJK, CJK_RANGES

_PROBLEM_NOUNS_EN = (
    r"(?:problem|issue|delay|downtime|outage|error|mistake|complaint|turnover|backlog|shortage|"
    r"bottleneck|failure|breakdown|gap|lag|churn|rework|waste|scrap|defect|glitch|crash|"
    r"stockout|overrun|overtime|attrition|risk|slowdown|queue|wait|lateness|leak|bug|"
    r"inaccurac(?:y|ies)|headache|friction|backlog|hold-up|hiccup|no-show|dropout|loss)"
)
_REF_PROBLEM_EN = re.compile(
    rf"\b(?:that|this|those|these|such|the|all that|all this|all the|all those|that kind of|"
    rf"those kinds of)\s+(?:[a-z'-]+\s+){{0,2}}?{_PROBLEM_NOUNS_EN}s?\b"
)
_ANAPHOR_EN = re.compile(r"\b(?:that|this|those|these|it|they)\b")
_EFFECT_EN = re.compile(
    r"\b(?:affect|affects|affected|affecting|impact|impacts|impacted|effect|effects|cost|costs|"
    r"costing|lead to|leads to|led to|result in|results in|knock-on|consequence|consequences|"
    r"mean for|means for|meant for|do to|does to|did to|hit|hits|hurt|hurts|eat into|eats into|"
    r"spill|ripple|toll|lose|losing|lost|penalt\w*|fine|fines|slip|slips|suffer|damage|"
    r"happens to|happened to|happens when|knock|downstream|ends up|end up|as a result|"
    r"because of that|because of this|because of it|because of them|due to (?:it|that|this)|"
    r"as a result|translate into|turn into|knock on|fallout|spill over|tie up|ties up)\b"
)
_IF_CONTINUES_EN = re.compile(
    r"\b(?:if|when) (?:this|that|it|they|those|these|nothing)\s+(?:\w+\s+)?"
    r"(?:continues?|keeps?|goes on|carries on|persists?|gets worse|happens again|changes|"
    r"doesn't get fixed|isn't fixed|stays)\b|\bleft unchecked\b|\bover time\b|\bin the long run\b"
)
# A condition or premise that is itself a problem ("with the VPN slowing everyone down, …",
# "if the basement floods, …"): the question is then about its consequences (SPIN.md §1).
_NEGATIVE_EN = (
    r"(?:problem|issue|delay|down|slow|slowing|late|stretched|short|shortfall|fail|fails|failed|"
    r"failing|break|breaks|broke|jam|jams|lost|lose|losing|poor|weak|miss|missed|missing|gap|"
    r"stuck|buried|awkward|inaccurate|wrong|flood|floods|strike|breach|crash|crashes|dark|"
    r"written off|overloaded|backlog|complain|complaints|errors?|mistakes?|outage|downtime|"
    r"turnover|leave|leaving|quit|shortage|can't|cannot|don't|doesn't|isn't|aren't|no longer|"
    r"without|worse|keeps?|overrun|overtime|churn|duplicates?|manual|spread)"
)
_PROBLEM_PREMISE_EN = re.compile(
    rf"(?:^|[,;:.-]\s*)(?:so\s+|and\s+|but\s+)?(?:with|if|when|because|since|given|each time|"
    rf"every time|whenever|once|after|while)\b[^,?]{{0,70}}?\b{_NEGATIVE_EN}\b"
)
_CONSEQUENCE_EN = re.compile(
    r"\b(?:mean|means|meant|cause|causes|caused|causing|push|pushes|pushing|force|forces|"
    r"forcing|delay|delays|delaying|drive|drives|driving|add up|adds up|slipping|slip|leave|"
    r"leaving|scrap|scrapping|go elsewhere|turn away|fall behind|falling behind|knock|"
    r"exposed|stops|stop|suffer|suffering|pay|paying|charge|charging|miss out|missing out|"
    r"worth in|cost of|costing you|what happens|what's happening|how exposed|how long could|"
    r"how much more|how many more)\b"
)
_SOLUTION_IF_EN = re.compile(
    r"\b(?:if|suppose|supposing|imagine|say|assuming|once|what if)\b[^?.]{0,80}?"
    r"\b(?:could|were able|was able|were|had|didn't have to|no longer|never had to|"
    r"eliminated?|cut|halved?|reduced?|automated?|fixed|solved|removed?|got rid of|went away|"
    r"disappeared|dropped|improved|doubled|faster|fewer|less|more|instantly|automatically)\b"
)
_VALUE_ASK_EN = re.compile(
    r"\b(?:would (?:it|that|this|having|being|a|an|the) [^?.]{0,40}?"
    r"(?:help|be useful|be valuable|be worth|matter|make a difference|mean|benefit|change)|"
    r"how (?:would|could|much would|much could|valuable|useful|helpful|important)|"
    r"what would (?:it|that|this|having|being|a|an|the)|"
    r"how important|why is (?:it|that|this) important|why does (?:it|that|this) matter|"
    r"worth (?:to you|it)|benefit|benefits|value|valuable|useful|helpful|interested|"
    r"what difference|make life easier|free up|freed up|save you|saved|is there value|"
    r"wouldn't it be (?:great|nice|good|better)|lives easier|life easier|easier for|"
    r"why (?:is|does|would|are|do)\b[^?]{0,60}\b(?:important|matter|matters|priority|key|"
    r"critical|crucial|worth)|case (?:you'd|you would) make|what would you do with|"
    r"what could you do with)\b"
)
_DISSATISFACTION_EN = re.compile(
    r"\b(?:difficult\w*|hard|harder|hardest|problem\w*|issue\w*|trouble\w*|struggl\w*|"
    r"challeng\w*|frustrat\w*|annoy\w*|worr\w*|concern\w*|satisf\w*|happy|unhappy|pain\w*|"
    r"headache\w*|bottleneck\w*|complain\w*|slow\w*|wrong|break\w*|broke|fail\w*|bother\w*|"
    r"weak\w*|improve\w*|wish|stuck|tough|tricky|keep you up|let you down|disappoint\w*|"
    r"unreliable|messy|clunky|painful|tedious|enough|behind|too|risk\w*|smoothly|on time|"
    r"on schedule|sore point|gaps?|grumbl\w*|wear\w* \w+ down|toes|chore|wast\w*|overdue|"
    r"stall\w*|delay\w*|late|lag\w*|cope|coping|keep(?:ing)? up|fall(?:s|ing)? through|"
    r"cracks|drop(?:s|ped)? the ball|go(?:es)? wrong|went wrong|pain point|glitch\w*|"
    r"hassle|nightmare|chas\w*|bugs?|downtime|outages?|errors?|mistakes?|complaints?)\b"
)
# Asking the buyer to judge the current state is how problem questions often sound.
_EVALUATIVE_EN = re.compile(
    r"\bhow (?:accurate|confident|reliable|well|happy|satisfied|comfortable|smooth|easy|hard|"
    r"difficult|good|bad|stable|consistent|effective|efficient|responsive|quick|slow|robust)\b|"
    r"\b(?:biggest|worst|hardest|toughest|greatest|weakest|least|most annoying|trickiest)\b|"
    r"\b(?:lacking|missing|grief|grumble|gripe|pain point|stretched|strain|under control|"
    r"holding \w+ back|holds? \w+ back|in the way|up to scratch|up to the job|keep up|cope|"
    r"coping|working for you|work for you|living with|put up with|how smoothly|"
    r"how reliably|how easily|too (?:slow|long|"
    r"many|much|few|dependent|manual|complicated|expensive|hard))\b"
)
_NEGATION_EN = re.compile(
    r"\b(?:not|no|never|don't|doesn't|didn't|isn't|aren't|wasn't|haven't|hasn't|won't|"
    r"nothing|none|hardly|barely|without)\b"
)
_SELLER_SUBJECT_EN = re.compile(
    r"(?:^|[.!;,]\s*)(?:(?:and|but|so|actually|honestly|well|look|basically)\s+)?"
    r"(?:we|we're|we've|we'll|our|my|i'll|i can|this|it|it's|that's|the (?:platform|system|"
    r"tool|solution|product|software|module|app|service|package)|the new)\b"
)
_SELLER_CLAIM_EN = re.compile(
    r"\b(?:will|'ll|can|offer|offers|provide|provides|include|includes|including|guarantee\w*|"
    r"deliver\w*|support\w*|integrat\w*|saves?|reduces?|cuts?|helps?|comes with|built-in|"
    r"automatically|award|customers|clients|discount|price|priced|costs|per month|per year|"
    r"free|unlike|better|faster|cheaper|only|best|leading|proven|certified|rated)\b"
)
_YOU_WILL_EN = re.compile(
    r"\b(?:you'll|you will|you're going to|you are going to|you'd|you would|you could|"
    r"you might|you risk|you're risking|you stand to|you're losing|you are losing|"
    r"you'll end up|that's going to|it's going to|it will|that will|they'll|they will)\b"
)
_IF_NOT_EN = re.compile(
    r"\b(?:if|unless) (?:you|they|the \w+) (?:don't|do not|doesn't|keep|continue|wait|ignore|"
    r"leave|delay|never)\b|\bunless you\b|\bwithout (?:fixing|solving|addressing)\b"
)
_GREETING_EN = re.compile(
    r"\b(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|appreciate|"
    r"nice to|great to|pleasure|how are you|how was|weekend|weather|congrat\w*|welcome|"
    r"hope you|cheers|lovely|beautiful|enjoy\w*)\b"
)
# Non-SPIN questions (label other, SPIN.md §1): clarifying, call logistics, small talk.
_CLARIFY_EN = re.compile(
    r"\b(?:sorry|pardon|repeat|say that again|did you say|was that|do you mean|you mean|spell|"
    r"hear me|can you hear|still there|lost you|cut out|breaking up|come again)\b"
)
_LOGISTICS_EN = re.compile(
    r"\b(?:minutes|run over|agenda|coffee|parking|the email|my email|slides|deck|screen|"
    r"dial in|on mute|recording this|take notes|before we start|before we begin|quick break)\b"
)
_SMALLTALK_EN = re.compile(
    r"\b(?:weekend|match|game|holiday|holidays|trip|vacation|family|kids|traffic|commute|"
    r"journey|flight|season|team win|golf|birthday|lunch|dinner|view|office looks|your week|"
    r"the week|your day|day going|how have you been|how's life|how are things|keeping busy|"
    r"busy week|easter|christmas|half-term|get away|time off|the kids|your family|"
    r"how's the family|back from|the conference|the show|the event|last night)\b"
)
_SUMMARY_EN = re.compile(
    r"\b(?:if i understand|if i've understood|let me recap|to recap|recap|to summari[sz]e|"
    r"summari[sz]e|to sum up|sum up|so what i'm hearing|what i'm hearing|just to confirm|"
    r"to confirm|if i heard you|correct me if|let me make sure|make sure i|in other words|"
    r"so basically|so the main|so you're saying|so you said|you mentioned|let me play back|"
    r"play that back|if i've got this right|so far we've|so to be clear)\b"
)
_COMMITMENT_EN = re.compile(
    r"\b(?:shall we|should we|can we|could we|let's|lets|next step\w*|pilot|trial|contract|"
    r"sign|signed|order|purchase order|po|book|booked|schedule|calendar|diary|demo|proposal|"
    r"introduce me|set up a|set up an|get started|go ahead|move forward|kick off|"
    r"put you down|send (?:you|over)|onboard\w*|paperwork|invoice|deal)\b"
)
_QUANTITY_EN = re.compile(
    r"\b(?:how many|how much|how often|how long|what percentage|what share|what proportion|"
    r"roughly|approximately|volume|volumes|number of)\b"
)
_CURRENT_EN = re.compile(
    r"\b(?:currently|today|at the moment|right now|these days|existing|current|at present|"
    r"nowadays|presently|now)\b"
)

_PROBLEM_NOUNS_ZH = (
    r"(?:问题|延误|延迟|故障|停机|投诉|流失|返工|积压|短缺|瓶颈|差错|错误|失误|漏洞|损耗|浪费|拖延|"
    r"超时|卡顿|宕机|事故|纠纷|缺陷|不良|退货|离职|加班|麻烦|情况|缺货|断货|掉线|丢单|误差|慢|"
    r"不准|出错|罚款|滞后|短板|痛点|困难)"
)
_REF_PROBLEM_ZH = re.compile(
    rf"(?:这|那|这些|那些|这种|那种|这个|那个|这样|那样|上述|刚才|您说|你说|您提到|你提到|提到的|"
    rf"说的|一旦|每次)[^,.?!;]{{0,6}}?{_PROBLEM_NOUNS_ZH}"
)
_ANAPHOR_ZH = re.compile(r"这|那|此|上述|刚才|您说|你说|提到")
_EFFECT_ZH = re.compile(
    r"影响|导致|造成|损失|后果|代价|连带|波及|拖累|耽误|耽搁|带来|引起|引发|牵连|受到|吃亏|"
    r"成本|多花|多付|多加|流失|罚|赔|丢|错过|拖慢|压力"
)
_IF_CONTINUES_ZH = re.compile(
    r"长此以往|一直(?:这样|持续|下去)|继续下去|持续下去|再这样|不解决的话|如果不解决|久而久之|"
    r"照这样|任由|放任|这样下去|时间长了|长期"
)
_SOLUTION_IF_ZH = re.compile(
    r"(?:如果|要是|假如|假设|倘若|若|一旦|设想|想象)[^?.]{0,30}?"
    r"(?:能|可以|能够|不用|不再|不必|减少|缩短|提高|降低|解决|避免|自动|省|减半|翻倍|消除|加快|"
    r"变快|准确|实时|一键|少|快)"
)
_VALUE_ASK_ZH = re.compile(
    r"帮助|有帮助|好处|价值|意义|有用|值得|重要|节省|省下|收益|感兴趣|愿意|意味着|"
    r"会怎么样|对您来说|对你来说|对您的|对你们的|能为|带来什么|改善|轻松|有多大帮助|受益|"
    r"为什么[^?.]{0,20}(?:关键|重要|优先|紧迫|必要)|好在哪|省出来|腾出"
)
_PROBLEM_PREMISE_ZH = re.compile(
    r"^[^,?.]{0,20}?(?:不|没|难|慢|差|乱|多|少|低|高|长|缺|丢|错|堵|卡|停|坏|漏|拖|扯皮|抱怨|"
    r"投诉|流失|延期|超负荷|加班|爆仓)[^,?.]{0,10}?(?:这么|那么|的话|,)"
)
_CONSEQUENCE_ZH = re.compile(
    r"会不会|会怎样|会怎么|意味着|还能|还完得成|还扛得住|能不能按时|扣分|被罚|多花|多付|耽误|"
    r"错过|丢掉|丢了|流失|延期|推迟|后面|下游|结果|因此|因为这个|所以"
)
_DISSATISFACTION_ZH = re.compile(
    r"困难|难|满意|麻烦|挑战|头疼|头痛|瓶颈|不满|问题|担心|顾虑|痛点|抱怨|吐槽|不足|不够|卡|慢|"
    r"烦|棘手|压力|紧张|吃紧|忙不过来|不好用|不方便|费劲|吃力|折腾|不理想|不顺|出错|出问题|隐患|风险|短板|改进|"
    r"太|顺利|困扰|跑满|加不了|找不回|玩得转|耗|拖|堵|漏|乱|吐槽|闹心|糟心|卡顿|延误|误差|投诉|"
    r"够不够|跟不跟得上|跟得上|来得及|按时|准不准|稳不稳|靠不靠谱"
)
_EVALUATIVE_ZH = re.compile(
    rf"([{CJK_RANGES}])不\1(?<![是有能会要可用])|最大的|最薄弱|最难|最头疼|最麻烦|最担心|顺手|顺畅|靠谱|"
    r"够用|好用|跟得上|阻力|障碍|难点|卡点|痛点|不顺|吃不消|忙得过来|应付得过来|扛得住|理想吗|还行吗"
)
_NEGATION_ZH = re.compile(r"不|没|并非|无|别")
_SELLER_SUBJECT_ZH = re.compile(
    r"我们|我司|本公司|咱们的|我这边|这款|这套|该产品|我们的产品|这个方案|这个系统|这个平台|新版"
)
_SELLER_CLAIM_ZH = re.compile(
    r"可以|能够|能|会|提供|支持|包括|包含|保证|帮您|帮你|节省|降低|减少|自带|内置|已经|服务了|"
    r"客户|案例|价格|优惠|折扣|报价|免费|领先|第一|最好|专业|认证|获得|拿了|一年|每年|只需"
)
_YOU_WILL_ZH = re.compile(
    r"(?:您|你|贵公司|你们|贵司|贵院|贵行|贵校)[^,.?!]{0,6}?(?:会|将|就会|肯定会|可能会|一定会|迟早)"
    r"|(?:肯定|一定|必然|迟早|注定)(?:会|要)"
)
_IF_NOT_ZH = re.compile(r"(?:如果|要是|假如|再)[^,.?!]{0,8}?(?:不|没)[^,.?!]{0,10}?(?:就|会|的话)")
_GREETING_ZH = re.compile(
    r"您好|你好|早上好|下午好|晚上好|谢谢|感谢|辛苦|久仰|幸会|很高兴|天气|周末|恭喜|哈哈|欢迎|"
    r"最近怎么样|打扰|百忙|理解理解|不客气"
)
_CLARIFY_ZH = re.compile(
    r"不好意思|抱歉|再说一遍|没听清|听得到|听不清|信号|您是说|你是说|您说的是|你说的是|怎么写"
)
_LOGISTICS_ZH = re.compile(r"议程|几分钟|邮件|ppt|投屏|会议室|停车|先开始|稍等|记一下|录音|时间够")
_SMALLTALK_ZH = re.compile(
    r"周末|比赛|假期|旅游|孩子|身体|堵车|路上|高尔夫|茶|吃饭|午饭|天气|球赛|打球|看球|老家|出差回来|视野|"
    r"这周|最近忙|忙不忙|忙吗|过年|春节|国庆|中秋|放假|休息|回来了|玩得|朋友圈|钓鱼|跑步|健身"
)
_SUMMARY_ZH = re.compile(
    r"总结|我理解|也就是说|所以您的意思|所以你的意思|您刚才提到|你刚才提到|确认一下|复述|归纳|"
    r"换句话说|梳理|如果我没理解错|如果我理解得没错|没理解错|我听下来|听起来|概括|简单说"
)
_COMMITMENT_ZH = re.compile(
    r"下一步|试点|试用|试运行|合同|签|下单|安排|约|演示|方案书|报价单|下周|明天|方便的时候|"
    r"什么时候方便|我们定|采购流程|立项|走流程|启动|落地|部署|开个会|拜访|引荐|介绍给"
)
_QUANTITY_ZH = re.compile(r"多少|几(?!乎)|多久|多长|比例|规模|数量|占比|大概|大约|一共")
_CURRENT_ZH = re.compile(r"现在|目前|现有|当前|如今|现阶段|平时|一般")

_CUES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("ref_problem", _REF_PROBLEM_EN, _REF_PROBLEM_ZH),
    ("anaphor", _ANAPHOR_EN, _ANAPHOR_ZH),
    ("effect", _EFFECT_EN, _EFFECT_ZH),
    ("if_continues", _IF_CONTINUES_EN, _IF_CONTINUES_ZH),
    ("solution_if", _SOLUTION_IF_EN, _SOLUTION_IF_ZH),
    ("problem_premise", _PROBLEM_PREMISE_EN, _PROBLEM_PREMISE_ZH),
    ("consequence", _CONSEQUENCE_EN, _CONSEQUENCE_ZH),
    ("value_ask", _VALUE_ASK_EN, _VALUE_ASK_ZH),
    ("dissatisfaction", _DISSATISFACTION_EN, _DISSATISFACTION_ZH),
    ("negation", _NEGATION_EN, _NEGATION_ZH),
    ("evaluative", _EVALUATIVE_EN, _EVALUATIVE_ZH),
    ("seller_subject", _SELLER_SUBJECT_EN, _SELLER_SUBJECT_ZH),
    ("seller_claim", _SELLER_CLAIM_EN, _SELLER_CLAIM_ZH),
    ("you_will", _YOU_WILL_EN, _YOU_WILL_ZH),
    ("if_not", _IF_NOT_EN, _IF_NOT_ZH),
    ("greeting", _GREETING_EN, _GREETING_ZH),
    ("summary", _SUMMARY_EN, _SUMMARY_ZH),
    ("clarify", _CLARIFY_EN, _CLARIFY_ZH),
    ("logistics", _LOGISTICS_EN, _LOGISTICS_ZH),
    ("smalltalk", _SMALLTALK_EN, _SMALLTALK_ZH),
    ("commitment", _COMMITMENT_EN, _COMMITMENT_ZH),
    ("quantity", _QUANTITY_EN, _QUANTITY_ZH),
    ("current", _CURRENT_EN, _CURRENT_ZH),
)
_LATIN = re.compile(r"[a-z]")
_HAN = CJK
# Pairs whose co-occurrence is the distinction itself (a linear model cannot multiply).
_PAIRS = (
    ("ref_problem", "effect"),
    ("anaphor", "effect"),
    ("solution_if", "value_ask"),
    ("dissatisfaction", "negation"),
    ("seller_subject", "seller_claim"),
    ("effect", "value_ask"),
    ("solution_if", "effect"),
    ("if_not", "you_will"),
    ("problem_premise", "consequence"),
    ("problem_premise", "effect"),
    ("problem_premise", "solution_if"),
    ("dissatisfaction", "consequence"),
    ("evaluative", "negation"),
    ("quantity", "ref_problem"),
    ("quantity", "dissatisfaction"),
    ("quantity", "anaphor"),
    ("current", "dissatisfaction"),
    ("anaphor", "consequence"),
)


def _found_cues(normalised: str) -> set[str]:
    # Only the patterns of the scripts present run: half the regex work on most moves.
    has_latin = _LATIN.search(normalised) is not None
    has_han = _HAN.search(normalised) is not None
    found = {
        name
        for name, english, chinese in _CUES
        if (has_latin and english.search(normalised)) or (has_han and chinese.search(normalised))
    }
    found.update(f"{a}&{b}" for a, b in _PAIRS if a in found and b in found)
    return found


QUESTION_FEATURE = "k:form=q"
PREAMBLE_FEATURE = "k:preamble"


def cue_features(normalised: str) -> set[str]:
    """Cue flags, each also crossed with the move's form (question or statement), so that
    "if you don't fix this you'll lose customers." (a seller-asserted consequence) and "if
    this continues, what will it cost you?" (an implication) can weigh differently. When a
    preamble precedes the question, the question's own cues are flagged again (`kc:`)."""
    found = _found_cues(normalised)
    form = "q" if is_question(normalised) else "s"
    features = {"k:" + name for name in found}
    features.update(f"k{form}:{name}" for name in found)
    features.add("k:form=" + form)
    clause = question_clause(normalised)
    if len(clause) < len(normalised.rstrip(" .?!;")):
        features.update("kc:" + name for name in _found_cues(clause))
        features.add(PREAMBLE_FEATURE)
    return features


def mentions_problem(normalised: str) -> bool:
    """Whether a turn puts a difficulty on the table: a dissatisfaction word or a problem noun
    (the context an implication question builds on, SPIN.md §1)."""
    return bool(
        _DISSATISFACTION_EN.search(normalised)
        or _DISSATISFACTION_ZH.search(normalised)
        or re.search(rf"\b{_PROBLEM_NOUNS_EN}s?\b", normalised)
        or re.search(_PROBLEM_NOUNS_ZH, normalised)
    )


# How buyers admit a difficulty in answer to a question: plain negatives and losses as much
# as problem words ("Not very.", "We lost a bid last year.", "经常记错").
_ADMISSION_EN = re.compile(
    r"\b(?:not (?:very|really|great|good|much|at all|always|enough|happy|ideal)|can't|cannot|"
    r"couldn't|can not|don't have|doesn't work|isn't working|no one|nobody|"
    r"lost|lose|losing|loss|penalt\w*|fined|angry|upset|complain\w*|late|slip\w*|miss\w*|"
    r"wrong|rubbish|terrible|awful|horrible|bad|badly|chaos|mess\w*|hate|pain\w*|warning|"
    r"struggl\w*|hard|tough|difficult|slow\w*|stuck|shortage|broke\w*|break\w*|"
    r"fail\w*|dirty|behind|overtime|chas\w*|stress\w*|worr\w*|afraid|risk\w*|"
    r"unfortunately|sadly|killing|nightmare|headache|problem\w*|issue\w*|"
    r"trouble|errors?|mistakes?|delay\w*|backlog|swamped|stretched|overloaded)\b"
)
_DENIAL_EN = re.compile(
    r"^(?:no|nope|not really|nah)?[ ,.!]*(?:it's |it is |that's |we're |all |we are )?"
    r"(?:fine|good|great|ok|okay|pretty good|works well|no (?:real )?(?:problems?|issues?))"
    r"[ ,.!]*$"
)
_ADMISSION_ZH = re.compile(
    r"不(?!错|客气|用谢|多|少|到|过)|没(?!问题|事)|错|丢|罚|慢|堵|投诉|找不到|经常|老是|总是|流失|损失|"
    r"差(?!不多)|乱|难|累|烦|加班|延误|延期|扣|漏|坏|停|担心|头疼|麻烦|问题|抱怨|吐槽|骂|亏|赔|跑了|走了|"
    r"只能|靠人|忙不过来|吃不消|跟不上"
)
_DENIAL_ZH = re.compile(r"^(?:还行|还好|挺好的?|不错|没什么问题|没问题|都挺好|挺顺的|可以)[,.!~]*$")


def buyer_admits(normalised: str) -> bool:
    """Whether a buyer's turn admits or hints a difficulty (the context an implication
    question builds on, SPIN.md §1). "No, it's fine." and "还行。" do not."""
    if _DENIAL_EN.match(normalised) or _DENIAL_ZH.match(normalised):
        return False
    return bool(
        mentions_problem(normalised)
        or _ADMISSION_EN.search(normalised)
        or _ADMISSION_ZH.search(normalised)
    )
