"""Reading a transcript of a real call (pasted text with speaker prefixes, or CSV rows) into
seller and buyer turns, so it can be labelled and scored with the same rubric."""

import csv
import io
from dataclasses import dataclass

from app.domain.errors import ValidationFailedError
from app.domain.transcript import Role

SELLER_NAMES = frozenset(
    {
        "seller",
        "sales",
        "salesperson",
        "rep",
        "am",
        "account manager",
        "me",
        "trainee",
        "s",
        "销售",
        "销售员",
        "客户经理",
        "我",
        "卖方",
        "乙方",
    }
)
BUYER_NAMES = frozenset(
    {"buyer", "customer", "client", "prospect", "b", "c", "客户", "买方", "甲方", "对方"}
)
# "Name: text" or "Name：text" (full-width colon), "[Name]: text" too; names are short. Read
# without a regular expression: a pattern with two adjacent runs of spaces backtracks
# quadratically on a long line of spaces (issue 14), and a transcript may be 200,000 chars.
_COLONS = (":", "：")
MAX_SPEAKER_CHARS = 30
MAX_TURNS = 400


@dataclass(frozen=True, slots=True)
class CallLine:
    role: Role
    speaker: str
    text: str


def _role(speaker: str, seller: str | None, first: str | None) -> Role:
    name = speaker.strip().lower()
    if seller is not None:
        return Role.TRAINEE if name == seller.strip().lower() else Role.BUYER
    if name in SELLER_NAMES:
        return Role.TRAINEE
    if name in BUYER_NAMES:
        return Role.BUYER
    return Role.TRAINEE if name == first else Role.BUYER


def speaker_prefix(line: str) -> tuple[str, str] | None:
    """("Name", "what was said") when the line starts with a speaker prefix, else None. One
    pass over the line: the name ends at its first colon, so it never holds one."""
    stripped = line.strip()
    cut = min((at for at in map(stripped.find, _COLONS) if at >= 0), default=-1)
    if cut < 1:
        return None
    name = stripped[:cut].rstrip()
    if name.startswith("["):
        name = name[1:]
    if name.endswith("]"):
        name = name[:-1]
    name = name.strip()
    said = stripped[cut + 1 :].strip()
    if not name or len(name) > MAX_SPEAKER_CHARS or "]" in name or "[" in name or not said:
        return None
    return name, said


def parse_text(text: str, *, seller: str | None = None) -> list[CallLine]:
    """Lines start with a speaker prefix; lines without one continue the previous turn.
    Without `seller`, known names (Seller, Rep, 销售…) decide, else the first speaker."""
    turns: list[tuple[Role, str, list[str]]] = []  # a turn's lines are joined once, at the end
    first: str | None = None
    for raw in text.splitlines():
        if not raw.strip():
            continue
        prefix = speaker_prefix(raw)
        if prefix is not None:
            speaker, said = prefix
            first = first or speaker.lower()
            turns.append((_role(speaker, seller, first), speaker, [said]))
        elif turns:
            turns[-1][2].append(raw.strip())
        else:
            raise ValidationFailedError("each turn starts with a speaker, e.g. 'Seller: …'")
        if len(turns) > MAX_TURNS:
            break  # refused below; no need to read the rest
    return _checked([CallLine(role, speaker, " ".join(said)) for role, speaker, said in turns])


def parse_csv(text: str, *, seller: str | None = None) -> list[CallLine]:
    """CSV with a header naming a speaker column (speaker/role/说话人) and a text column.
    Any line ending is read (newline="" as the csv module asks); a file the csv module
    cannot read is refused as invalid input, never a server error."""
    try:
        return _csv_lines(csv.DictReader(io.StringIO(text, newline="")), seller)
    except csv.Error as exc:
        raise ValidationFailedError(f"the CSV cannot be read: {exc}") from exc


def _csv_lines(reader: "csv.DictReader[str]", seller: str | None) -> list[CallLine]:
    fields = {name.strip().lower(): name for name in reader.fieldnames or []}
    speaker_key = next(
        (fields[k] for k in ("speaker", "role", "说话人", "角色") if k in fields), None
    )
    text_key = next((fields[k] for k in ("text", "utterance", "内容", "文本") if k in fields), None)
    if speaker_key is None or text_key is None:
        raise ValidationFailedError("the CSV needs a speaker column and a text column")
    lines: list[CallLine] = []
    first: str | None = None
    for row in reader:
        speaker, said = (row.get(speaker_key) or "").strip(), (row.get(text_key) or "").strip()
        if not said:
            continue
        first = first or speaker.lower()
        lines.append(CallLine(_role(speaker, seller, first), speaker, said))
        if len(lines) > MAX_TURNS:
            break
    return _checked(lines)


def _checked(lines: list[CallLine]) -> list[CallLine]:
    if not any(line.role is Role.TRAINEE for line in lines):
        raise ValidationFailedError("no seller turns found: name the seller's speaker label")
    if len(lines) > MAX_TURNS:
        raise ValidationFailedError(f"a transcript has at most {MAX_TURNS} turns")
    return lines
