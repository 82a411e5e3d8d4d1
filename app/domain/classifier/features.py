"""Text normalisation and the sparse n-gram features the offline SPIN classifier reads.

Training (scripts/train_classifier.py) and inference call the same `extract_features`, so a
model and its features cannot drift apart.
"""

import itertools
import re
from dataclasses import dataclass

from app.domain.text import CJK_RANGES, fold

# Common Traditional characters and their Simplified forms, one to one, position by position.
# Deliberately small: the model is trained on Simplified text, and these are the characters a
# sales conversation is made of. Characters that are also valid Simplified with another
# meaning (著, 乾, 藉) are left out.
_TRADITIONAL = (
    "這們個說對時會來為麼嗎還沒問題據產業務員場從門開關機氣電話號點過進運達邊價錢貴買賣資費貨財賬"
    "帳購質負責認識請讓談論設計記訂討試該誰調變響應實際現發經濟營銷銀醫療藥學習練級紅線網絡統維護難"
    "頭顧類項額預須領導歡觀規視親覺體係傳備優僅億倉儲塊壓報處夠夢寫將專層屬歲帶幫廣廠張強當錄徑復態"
    "慮慣憂戶換損擔擴擇數斷於書東條極標樣樓檢歷殘決況減測準溝滿漢無爭狀獲環畫異盤確種積穩競節範簡約"
    "紀組細終結給績續總聯職聽腦與舊華萬補製複見許證評診詢詳誤課諮講謝議讀賠賺趨車軟較輕載輸轉辦農連"
    "遊違遠適選遲錯鍵長閒間陸隊隨險雖雙雜離雲靈頁順頻風飛飯館驗齊龍儀傷兒內兩寬屆庫廳彈後徵慶懷戰擁"
    "擊樂權歸漲濕獎畢盡監碼禮稅窮筆籌糧緊緒縮織罰聲腳艱莊蘭虧術衛衝裝觸訊託訪譜豐貝貢販貼賓賴贈趕跡"
    "蹤軌軍輪辭迴週鄉鐘鋼錶鎖鏈閉閱陣陳隱雞靜韓頂顯飲餘髮鬆麵黨鬧擾歐舉亞傾側傭僱劃劑勞勢區協單廚參"
    "嚴團園圖壞壯夥奪婦媽孫寧審寶尋師幣幹廢彎彙徹恆惡惱愛慘懶懸戲拋捨掃掛採揀揮攜搶撐擬擠攤敗敵暫曆"
    "曉櫃殼毀湯溫滬滯潛瀏燈燒爐牆犧猶獨瘋盜礙禍稱窩糾紐純紙紛紡絕絲綜綠綱緩編緣縣縫繫繳纏罷羅聞肅脅"
    "脫膚艙蓋薦藍藝蘇蟲眾裡裏褲襯覽訴詞詐誠誇誌誘語貓貧貫貶貸賀賃賦踐躍軸輔輛輯辯邁郵鄰釋鈔鉤銅銳鋪"
    "鍋鍊鎮鏡鐵鑑閃閣闆闊陰隻顆願饋騙騰驅驚鬥魚鳥鹽麥黃齡啟嘗構樞檔鬱憑啓佔併凍勵勸厲嚮執塗墊"
    "壘奧妝嬰寢導屢岩峽廈廟弔徑悅惻慚憐擋據撥撫攏斂暈暢橋燦獻璣癒盞眾睜矯磚穌窯竊筧簽籃粵糰紮紳"
)
_SIMPLIFIED = (
    "这们个说对时会来为么吗还没问题据产业务员场从门开关机气电话号点过进运达边价钱贵买卖资费货财账"
    "账购质负责认识请让谈论设计记订讨试该谁调变响应实际现发经济营销银医疗药学习练级红线网络统维护难"
    "头顾类项额预须领导欢观规视亲觉体系传备优仅亿仓储块压报处够梦写将专层属岁带帮广厂张强当录径复态"
    "虑惯忧户换损担扩择数断于书东条极标样楼检历残决况减测准沟满汉无争状获环画异盘确种积稳竞节范简约"
    "纪组细终结给绩续总联职听脑与旧华万补制复见许证评诊询详误课咨讲谢议读赔赚趋车软较轻载输转办农连"
    "游违远适选迟错键长闲间陆队随险虽双杂离云灵页顺频风飞饭馆验齐龙仪伤儿内两宽届库厅弹后征庆怀战拥"
    "击乐权归涨湿奖毕尽监码礼税穷笔筹粮紧绪缩织罚声脚艰庄兰亏术卫冲装触讯托访谱丰贝贡贩贴宾赖赠赶迹"
    "踪轨军轮辞回周乡钟钢表锁链闭阅阵陈隐鸡静韩顶显饮余发松面党闹扰欧举亚倾侧佣雇划剂劳势区协单厨参"
    "严团园图坏壮伙夺妇妈孙宁审宝寻师币干废弯汇彻恒恶恼爱惨懒悬戏抛舍扫挂采拣挥携抢撑拟挤摊败敌暂历"
    "晓柜壳毁汤温沪滞潜浏灯烧炉墙牺犹独疯盗碍祸称窝纠纽纯纸纷纺绝丝综绿纲缓编缘县缝系缴缠罢罗闻肃胁"
    "脱肤舱盖荐蓝艺苏虫众里里裤衬览诉词诈诚夸志诱语猫贫贯贬贷贺赁赋践跃轴辅辆辑辩迈邮邻释钞钩铜锐铺"
    "锅炼镇镜铁鉴闪阁板阔阴只颗愿馈骗腾驱惊斗鱼鸟盐麦黄龄启尝构枢档郁凭启占并冻励劝厉向执涂垫"
    "垒奥妆婴寝导屡岩峡厦庙吊径悦恻惭怜挡据拨抚拢敛晕畅桥灿献玑愈盏众睁矫砖稣窑窃笕签篮粤团扎绅"
)
if len(_TRADITIONAL) != len(_SIMPLIFIED):  # pragma: no cover - a broken table must not ship
    raise RuntimeError("the Traditional/Simplified table is misaligned")

# Punctuation NFKC leaves alone, folded to ASCII so both languages share it.
_PUNCTUATION = {
    "。": ".",
    "、": ",",
    "；": ";",
    "：": ":",
    "「": '"',
    "」": '"',
    "『": '"',
    "』": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "《": '"',
    "》": '"',
    "—": "-",
    "–": "-",
    "～": "~",
    "·": " ",
}
_FOLD = str.maketrans({**dict(zip(_TRADITIONAL, _SIMPLIFIED, strict=True)), **_PUNCTUATION})

_TOKEN = re.compile(rf"[a-z0-9]+(?:'[a-z]+)?|[{CJK_RANGES}]|[?!.,;:]")
_DIGITS = re.compile(r"[0-9]+")
_SENTENCE_END = frozenset(".?!;")
_LATIN_PLACEHOLDER = "_"


def normalise(text: str) -> str:
    """Lowercase, full-width to half-width (NFKC), Traditional to Simplified for common
    characters, Chinese punctuation folded to ASCII, whitespace collapsed. Emoji and other
    symbols survive here but are not tokens."""
    folded = fold(text).translate(_FOLD)
    return " ".join(folded.split())


def tokenise(normalised: str) -> list[str]:
    """Latin words (digit runs folded to `0`), single CJK characters and sentence punctuation."""
    return [_DIGITS.sub("0", t) for t in _TOKEN.findall(normalised)]


@dataclass(frozen=True, slots=True)
class FeatureOptions:
    """Which n-grams to extract; stored in the model artifact so inference matches training."""

    char_min: int = 4
    char_max: int = 4
    cjk_max: int = 3
    word_max: int = 2
    clause_grams: int = 1


def last_sentence(tokens: list[str]) -> list[str]:
    """The tokens of the last sentence with words in it: the question after a preamble."""
    end = len(tokens)
    while end > 0 and tokens[end - 1] in _SENTENCE_END:
        end -= 1
    start = end
    while start > 0 and tokens[start - 1] not in _SENTENCE_END:
        start -= 1
    return tokens[start:end]


def _latin_features(words: list[str], options: FeatureOptions, out: set[str]) -> None:
    padded = ["^", *words, "$"]
    out.update(["w:" + w for w in words])
    out.update([f"b:{a} {b}" for a, b in itertools.pairwise(padded)])
    if options.word_max >= 3:
        out.update(
            [f"t:{a} {b} {c}" for a, b, c in zip(padded, padded[1:], padded[2:], strict=False)]
        )
    # In-word char n-grams carry no prefix: "<" and ">" mark word edges, and a gram without
    # them is still distinct from every prefixed feature (none of them contain ":").
    low, high = options.char_min, options.char_max
    for word in words:
        marked = f"<{word}>"
        length = len(marked)
        for n in range(low, min(high, length) + 1):
            out.update([marked[i : i + n] for i in range(length - n + 1)])


# Grams made only of the stream's markers carry nothing.
_MARKERS = "^$|_"
_MARKER_GRAMS = frozenset(
    set(_MARKERS)
    | {a + b for a in _MARKERS for b in _MARKERS}
    | {a + b + c for a in _MARKERS for b in _MARKERS for c in _MARKERS}
)


def _cjk_features(stream: str, options: FeatureOptions, out: set[str]) -> None:
    """Char 1..cjk_max grams, unprefixed: Han characters never occur in other features."""
    length = len(stream)
    grams: set[str] = set()
    for n in range(1, options.cjk_max + 1):
        grams.update([stream[i : i + n] for i in range(length - n + 1)])
    out.update(grams - _MARKER_GRAMS)


def ngram_features(tokens: list[str], options: FeatureOptions) -> set[str]:
    """Word uni/bigrams and in-word char n-grams for Latin words; char 1..cjk_max grams for
    Chinese, where a Latin word counts as one placeholder character and sentence punctuation
    as a boundary; the first two tokens of the last sentence; the closing punctuation."""
    out: set[str] = set()
    words: list[str] = []
    pieces: list[str] = []
    has_cjk = False
    for token in tokens:
        if token >= "\u3400":  # the tokeniser only lets Han characters through up there
            pieces.append(token)
            has_cjk = True
        elif token[0].isalnum():
            words.append(token)
            pieces.append(_LATIN_PLACEHOLDER)
        elif token in _SENTENCE_END:
            pieces.append("|")
    if words:
        _latin_features(words, options, out)
    if has_cjk:
        stream = "".join(pieces).rstrip("|")
        _cjk_features(f"^{stream}$", options, out)
    sentence = last_sentence(tokens)
    tail = [t for t in sentence if t[0].isalnum()]
    if options.clause_grams and tail and len(sentence) < len(tokens) - 1:
        # A preamble precedes the question: the question's own words count again, so a
        # long preamble cannot drown the clause that carries the move (SPIN.md §1).
        out.update(["q:" + t for t in tail])
        out.update([f"q:{a}{b}" for a, b in itertools.pairwise(tail) if a >= "\u3400"])
    if tail:
        out.add("s1:" + tail[0])
        out.add("s2:" + " ".join(tail[:2]))
        out.add("e1:" + tail[-1])
    out.add("p:" + (tokens[-1] if tokens and not tokens[-1][0].isalnum() else "none"))
    if "?" in tokens:
        out.add("p:has?")
    return out
