"""Parse text pasted from the recommendations section of a UPR Working Group report.

Input is plain text copied from an ``A/HRC/xx/x`` report in any of the six UN languages; output
is one :class:`ParsedParagraph` per recommendation and one :class:`ParseProblem` per paragraph
that cannot be used as it stands.

**Arabic and Chinese.** Arabic reports number ``145-1`` and head ``145-`` (a hyphen counts only
on a line in Arabic script: "aged 10-12" stays text) and end items with ``؛``; Chinese reports
put States in full-width brackets (U+FF08, U+FF09) and end items with a full-width semicolon
(U+FF1B) or ``。``, and their
wrapped lines join without a space. States within one bracket may be separated by ``،`` or
``、``. Headings in scripts without capitals count as headings.

**Paragraphs.** A recommendation starts on a line that begins with a sub-numbered paragraph
number, ``145.12`` (optionally ``145.12.``, or ``145. 12`` as some copies space it), followed
by its text on the same or the next lines.
It runs until the next paragraph number or heading. A number without a sub-number
(``145. The following recommendations ...``) is a heading: it sets the current major number and
is not a recommendation. Within a section, sub-numbers must increase; ``146.1`` may start a new
section without a heading. A line that begins with a bullet ("•", where a copy of an
automatically numbered list lost the number) after a paragraph is the next paragraph of the
section. The closing paragraph ("All conclusions and/or recommendations contained in the present
report ...", in the six languages) ends the recommendations: what follows (an annex, its numbered
list of delegates) is not read. A line that begins with a number which does not fit this sequence
(``16.2 of the Sustainable Development Goals``) is a continuation line. Text before the first
paragraph is ignored.

**Numbered lists** (the first cycle's reports, 2008-2011): under a heading, ``60. The
recommendations ... enjoy the support of X:``, the recommendations may be numbered ``1.``,
``2.``, ... (or ``1)``): item *k* of paragraph 60 is ``60.k``. A list starts with item 1 right
after a heading and goes on while each number is the one after the last; a line beginning with
the next number is an item even when that number is above the heading's, unless it begins as
a heading does ("61. The following recommendations ...", "All conclusions ...", in the four
languages).

**Page furniture** is skipped (runs of spaces inside a line count as one, as ``pdftotext
-layout`` spreads footers out; direction marks and other invisible format characters, which
Arabic PDFs put around numbers, are removed): document symbols (``A/HRC/52/9``),
``GE.23-01234`` job numbers, bare page numbers, "Please recycle", and footnotes: a line that
starts with a footnote number followed by a document symbol, a URL or "See"/"Voir"/"Véase"/"См.",
every line after a footnote separator (``____``) up to the next page header or paragraph, and,
without a separator, the lines at the foot of a page from one that starts with a footnote
number ("1", "1 Accord adopté ...", "(1) ...", "[1] ...") to the page's footer, when the text
refers to that number; "[1] ..." notes wherever they are. The marks of the footnotes found
leave the text: "[1]", and 1 or (1) written onto a word, a closing bracket or quote
("Families1", "(Principes de Paris)(1)", "《媒体法》1"); a number after a space stays
("article 19"). Superscript digits and asterisks written onto a word ("mort³", "nacimientos**")
are marks wherever they are.

**Joining lines.** Lines of a paragraph are joined with one space; a line ending in a soft
hyphen (U+00AD, which PDF copies leave at a layout break) is joined without it, and soft hyphens
elsewhere are dropped. A line ending in
``letter-`` followed by a line starting with a lower-case letter is a hyphenated word break and is
joined without the hyphen ("imple-" + "ment" → "implement"), except after common English
compound prefixes ("non-", "self-", "anti-", ...) and before common second halves ("-based",
"-making", "-centred", ...), which keep their hyphen. Before an upper-case
letter the hyphen stays and no space is added ("Guinea-" + "Bissau").

**End of a paragraph.** The text ends with ``;`` or ``.`` (the last one), possibly preceded by a
space (French) and followed by "and"/"et"/"y"/"и". Once a line ends with a bracket group naming a
State followed by ``.``, the paragraph is complete: further unnumbered lines (an annex title,
stray text) are ignored until the next paragraph. After a State and ``;`` the paragraph goes on
until the next paragraph number or heading, as a clustered recommendation may follow.

**Clustered paragraphs.** Reports sometimes put several recommendations, each with its own
recommending States, under one number: ``145.12 Ratify the Second Optional Protocol ... (Chile);
Consider ratifying the Second Optional Protocol ... (Nepal);`` (in French ``... (Chili) ;
Envisager de ratifier ... (Népal) ;``). Each becomes **its own recommendation**, numbered with a
letter in paragraph order: ``145.12a`` (Chile), ``145.12b`` (Nepal), ... The members are different
recommendations from different States ("Ratify" is not "Consider ratifying"), so one record with
all the States would credit each State with words it did not say, and a State can act on each of
them on its own; UPR Info lists them separately too. They share the paragraph's line and the
position the import is given (a State answers a paragraph as a whole). A member ends at ``;``
(any spacing) after a bracket group that looks like a State name, resolved or not, when a word
follows; ``(OPCAT); Adopt ...`` does not split. The letters depend only on the member's position,
so importing the same text again finds the same recommendations (external id
``A/HRC/52/9:145.12b``); a paragraph with one recommendation keeps its plain number. Text after
the last member's States that names no State of its own (stray lines after a ``;``) is a
:class:`ParseProblem`; the members before it are kept.

**Recommending States.** Only the trailing run of bracket groups counts, read from the end:
``(Denmark) (Chile)``, nested ``(Bolivia (Plurinational State of))``, or (tolerated)
``(Denmark, Chile)``, ``(Slovenia, Czech Republic and Chile)`` (each side of the "and" a name:
"Trinidad and Tobago" stays one; every "and" of a list is read so that each name between them
is a State read exactly: "Trinidad and Tobago and Saint Vincent and the Grenadines" is two, as
are "Chile e Indonesia" and "قطر والكويت"; an "and" after an Oxford comma is read past; in
Chinese "黑山和突尼斯", while "捷克共和国" stays one),
Arabic ``(الأردن، والجزائر)`` ("and" written onto the name); an Arabic "and" (و) after the last
``؛`` ends the paragraph as "and" does.
Each group is resolved with the :class:`CountryNameIndex` (exact look-up
for all-capital acronyms such as "USA", fuzzy otherwise). Reading stops at the first group that
*plainly is not a State name*: it contains a digit ("(2019-2023)"), starts with a lower-case
letter ("(including women)"), is an all-capital acronym that is no country ("(OPCAT)"), contains
``: ; « » " “ ” / %``, has more than eight words, or contains a document word such as
"Convention", "Protocol", "Law", "Committee", "Plan" (in five languages; in Chinese "公约",
"议定书", ... anywhere in the group). That group and
everything before it stay in the text. Any other group that does not resolve ("(Freedonia)") is
an unresolved State.

**Problems.** A recommendation (or cluster member) with an unresolved State name gives a
:class:`ParseProblem` naming it (and, only with ``keep_partial=True``, also a
:class:`ParsedParagraph` whose ``unresolved_states`` lists those names). A paragraph with no
recommending State, or no text, gives a :class:`ParseProblem`. Other paragraphs are still
returned. ``line`` is the 1-based line of the paragraph number in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from app.imports.country_names import CountryNameIndex

__all__ = ["ParseProblem", "ParsedParagraph", "parse_report_text"]


@dataclass(frozen=True, slots=True)
class ParsedParagraph:
    """One recommendation: paragraph number ("145.12", or "145.12b" for the second member of a
    clustered paragraph), clean text and recommending States (ISO3)."""

    line: int
    paragraph: str
    text: str
    recommending_states: list[str]
    unresolved_states: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A paragraph that could not be parsed into a usable recommendation."""

    line: int
    reason: str


# Arabic reports number "145-1" and head "145-": a hyphen counts only on a line in Arabic script.
_PARAGRAPH = re.compile(r"^(\d{1,3})([.\-]) ?(\d{1,3})\.?(?:\s+(.*))?$")
_HEADING = re.compile(r"^(\d{1,3})([.\-])(?:\s+(\S.*))?$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_OPEN, _CLOSE = "(\uff08", ")\uff09"  # and the full-width brackets of Chinese texts
# A numbered list under a heading, as the first cycle's reports wrote it ("60. ... enjoy the
# support of X:" then "1. To ratify ... (Brazil);", "2. ..."): item k of paragraph 60 is 60.k.
_LIST_ITEM = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
# How a heading paragraph begins, to tell "61. The following recommendations ..." from item 61.
_HEADING_START = re.compile(
    r"^(?:the following|the recommendations|all (?:the )?conclusions|les recommandations|"
    r"toutes les conclusions|las recomendaciones|todas las conclusiones|следующие|"
    r"все выводы|рекомендации)",
    re.I,
)
# The section's closing paragraph ("All conclusions and/or recommendations contained in the
# present report reflect the position of ..."): no recommendation follows it (an annex does).
_CLOSING = re.compile(
    r"^(?:all (?:the )?conclusions|toutes les conclusions|todas las conclusiones|все выводы|"
    r"جميع الاستنتاجات|本报告所载)",
    re.I,
)
# A line that an automatically numbered list lost its number to ("•\tAccede to ..."): the next
# paragraph of the section.
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u00b7]\s*(\S.*)$")
_FURNITURE = (
    re.compile(r"^(?:\d{1,3}\s+)?A/HRC/\S+(?:\s+\d{1,3})?$"),
    re.compile(r"^.{0,30}\bGE\.\d{2}-\d{4,6}\b.{0,40}$"),
    re.compile(r"^\d{1,3}$"),
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),
    re.compile(
        r"^(?:page|p\.|página|pág\.|страница|стр\.)\s*\d{1,3}(?:\s+(?:of|de|из)\s+\d{1,3})?$",
        re.I,
    ),
    re.compile(r"^\*\d{5,}\*$"),
    re.compile(r"^(?:please recycle|merci de recycler|se ruega reciclar)\b", re.I),
    re.compile(r"^(?:请回收|يرجى إعادة الاستعمال)"),
)
_FOOTNOTE_SEPARATOR = re.compile(r"^[_\-\u2014\u2013]{5,}$")
_FOOTNOTE = re.compile(
    r"^\d{1,3}\s+(?:A/|E/|CCPR/|CRC/|CEDAW/|CERD/|CAT/|CRPD/|CMW/|CED/|https?://|www\.|"
    r"See\b|Voir\b|Véase\b|Ver\b|См\.|Ibid|Available\b|Disponible\b|见|انظر)"
)
# The end of a paragraph: ; or . (Arabic ؛, Chinese full-width ; and 。), maybe then "and".
_TERMINAL = re.compile(r"\s*[;.؛\uff1b。]\s*(?:and|et|y|и|و|和)?\s*$")
_STATE_FULL_STOP = re.compile(r"[)\uff09]\s*[.。]\s*$")
# Where one recommendation of a cluster ends and the next begins: "(Chile); Consider ..."
# (not before "and" that only ends the paragraph: "(Brazil); and")
_CLUSTER_BREAK = re.compile(
    r"[)\uff09]\s*[;؛\uff1b]\s*(?!(?:and|et|y|и|و)\s*$)(?:(?:and|et|y|и)\s+|和)?(?=[^\W\d_])"
)
_QUOTED_TAIL = 60
_SOFT_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
SOFT_HYPHEN = "\u00ad"  # a break-only hyphen, which PDF copies leave at line ends
# Direction marks and other invisible format characters (Arabic PDFs put them around numbers).
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
# Where a page ends: its footer's job number, or the next page's header (the document symbol).
_PAGE_END = (_FURNITURE[0], _FURNITURE[1])
# A footnote's first line at the foot of a page: its number alone, or followed by its text
# ("1 Accord adopté ...", "(1) انظر ...", "[1] Lirenia acceded ...").
_FOOTNOTE_START = re.compile(r"^(?:\[(\d{1,2})\]|\((\d{1,2})\)|(\d{1,2})(?=\s|$))")
# Marks that are footnotes' wherever they are: superscript digits, and asterisks written onto a
# word ("nacimientos**").
_ALWAYS_MARKS = re.compile(
    r"(?<=\S)[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+|(?<=[^\W\d_])\*{1,3}(?=[\s,.;:)]|$)"
)
# A line that ends a recommendation (a footnote's sentence may end with a full stop).
_ENDS_RECOMMENDATION = re.compile(r"(?:[;؛\uff1b]\s*(?:and|et|y|и|و)?|[)\uff09]\s*[.。])\s*$")
# A footnote's mark in the text: "[1]", or 1 or (1) written onto a word or a closing bracket
# or quote ("Families1", "(Paris Principles)(1)", "《媒体法》1").
_MARK_AFTER = r"(?<=[^\W\d_]|[)\uff09\u300b\u00bb\u201d\"\u2019])"
_FOOTNOTE_MARK = re.compile(
    r"\[(\d{1,2})\]|"
    + _MARK_AFTER
    + r"\((\d{1,2})\)|"
    + _MARK_AFTER
    + r"(\d{1,2})(?=[\s,.;:\uff0c\uff1b\u3002\u3001)\uff09]|$)"
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_ACRONYM = re.compile(r"^[A-Z][A-Z.\-&]*$")
# An acronym in another alphabet ("ФП-КПП", "УВКБ"): capitals only, hyphens and dots between.
_ANY_ACRONYM = re.compile(r"^[^\W\d_][^\W\d_.\-&]*(?:[.\-&][^\W\d_]+)*\.?$")
_TEXT_PUNCTUATION = re.compile(r"[:;«»\"“”/%《》\uff1a\uff1b]")
_MAX_STATE_WORDS: Final = 8
# "and" between the last two names of a list in one bracket: "(Slovenia, Czech Republic and Chile)"
_CONJUNCTION = re.compile(
    r"\s+(?:and|et|y|e|и)\s+|(?<=[\u4e00-\u9fff])和(?=[\u4e00-\u9fff])|\s+(?=و\S)"
)
# "and" opening a part of a list after an (Oxford) comma: "(Korea, Slovenia, and Uruguay)"
_LEADING_CONJUNCTION = re.compile(r"^(?:and|et|y|e|и)\s+")

_KEEP_HYPHEN_PREFIXES: Final = frozenset(
    {"non", "self", "anti", "ex", "well", "cross", "follow", "socio", "semi", "low", "all"}
    | {"high", "full", "long", "short", "ill", "gender", "child", "age", "rights", "state"}
)
# Second halves of compounds common in recommendations ("evidence-based", "decision-making",
# "victim-centred"): the hyphen before them is the compound's, not a word break.
_KEEP_HYPHEN_BEFORE: Final = re.compile(
    r"(?:based|making|related|sensitive|friendly|oriented|centred|centered|led|owned|term|"
    r"up|being|building|level|wide|free|specific|called|appropriate|responsive)\b"
)
_DOCUMENT_WORDS: Final = frozenset(
    {
        # English
        "convention", "protocol", "covenant", "act", "law", "code", "committee", "council",
        "plan", "strategy", "programme", "program", "agenda", "commission", "decree", "bill",
        "article", "goal", "target", "declaration", "principles", "resolution", "statute",
        # French
        "loi", "protocole", "pacte", "comité", "conseil", "stratégie", "décret", "objectif",
        "déclaration", "principes",
        # Spanish
        "ley", "protocolo", "pacto", "consejo", "programa", "estrategia", "decreto", "artículo",
        "objetivo", "convención", "declaración", "principios", "código",
        # Russian
        "конвенция", "конвенции", "протокол", "пакт", "закон", "комитет", "совет", "программа",
        "стратегия", "статья", "цель", "кодекс", "декларация", "принципы", "план",
        # Arabic
        "اتفاقية", "الاتفاقية", "بروتوكول", "البروتوكول", "العهد", "قانون", "القانون", "لجنة",
        "اللجنة", "خطة", "الخطة", "استراتيجية", "الاستراتيجية", "برنامج", "البرنامج", "المادة",
        "الهدف", "إعلان", "الإعلان", "مبادئ", "المبادئ", "سيداو",
    }
)  # fmt: skip
# Chinese has no spaces between words: these are looked for inside a bracket group.
_CHINESE_DOCUMENT_WORDS: Final = (
    "公约", "议定书", "盟约", "法律", "法案", "委员会", "理事会", "计划", "战略", "方案", "宣言",
    "目标", "条例", "原则", "决议",
)  # fmt: skip


@dataclass
class _Block:
    line: int
    number: str
    lines: list[str]


def parse_report_text(
    text: str, index: CountryNameIndex, *, keep_partial: bool = False
) -> list[ParsedParagraph | ParseProblem]:
    """Parse pasted report text into recommendations and problems, in input order.

    See the module documentation for the rules. ``keep_partial`` also returns paragraphs whose
    bracketed State names could not all be resolved (with ``unresolved_states`` filled), after
    their :class:`ParseProblem`.
    """
    results: list[ParsedParagraph | ParseProblem] = []
    for block in _split_blocks(text, index):
        results.extend(_parse_block(block, index, keep_partial=keep_partial))
    return results


# --- splitting into paragraphs ---------------------------------------------------------------


def _is_furniture(line: str) -> bool:
    return any(pattern.match(line) for pattern in _FURNITURE)


def _is_page_end(line: str) -> bool:
    return any(pattern.match(line) for pattern in _PAGE_END)


def _footnotes(lines: list[str]) -> tuple[set[int], set[str]]:
    """The lines that are footnotes, and the footnotes' numbers (whose marks leave the text).

    A footnote begins with its number ("1", "1 Accord ...", "(1) ...", "[1] ...") and the text
    refers to that number ("Families1", "(Paris Principles)(1)", "[1]"). At the foot of a page
    (before its footer or the next page's header, or at the end of the text) the footnotes run
    from the first such line after the page's last text down to the page's end; a line that
    ends a recommendation (";", or a State and ".") or is numbered as one stops the search.
    After a footnote separator (``____``) the lines are skipped by `_split_blocks` itself.
    "[1] ..." notes are footnotes wherever they are (Word and HTML copies put them last)."""
    referred = {
        n for line in lines for found in _FOOTNOTE_MARK.finditer(line) for n in found.groups() if n
    }
    skipped: set[int] = set()
    numbers: set[str] = set()
    for position, line in enumerate(lines):
        if _is_page_end(line):
            stop = position  # the page's end itself stays: it ends footnotes after a separator
        elif position == len(lines) - 1:
            stop = position + 1
        else:
            continue
        first = _page_foot(lines, stop, referred, numbers)
        if first is not None:
            skipped.update(range(first, stop))
    after_separator = False
    for position, line in enumerate(lines):
        if _FOOTNOTE_SEPARATOR.match(line):
            after_separator = True
        elif _is_page_end(line):
            after_separator = False
        number = _footnote_number(line)
        if number is None or number not in referred:
            continue
        if after_separator or line.startswith("["):
            numbers.add(number)
        if line.startswith("["):
            skipped.add(position)
    return skipped, numbers


def _page_foot(lines: list[str], end: int, referred: set[str], numbers: set[str]) -> int | None:
    """The first line of the footnotes just above line `end` (None: none), their numbers
    added to `numbers`."""
    first = None
    for above in range(end - 1, max(-1, end - 8), -1):
        line = lines[above]
        number = _footnote_number(line)
        if not line or (number is None and _is_furniture(line)):
            continue
        if _PARAGRAPH.match(line) or _FOOTNOTE_SEPARATOR.match(line):
            break
        if number is None and _ENDS_RECOMMENDATION.search(line):
            break
        if number is not None and number in referred:
            first = above
            numbers.add(number)
    return first


def _footnote_number(line: str) -> str | None:
    start = _FOOTNOTE_START.match(line)
    return next((n for n in start.groups() if n), None) if start else None


def _without_marks(line: str, numbers: set[str]) -> str:
    """`line` without the marks of the footnotes `numbers`, and without the marks that are
    always footnotes' (superscript digits, asterisks written onto a word)."""

    def keep(found: re.Match[str]) -> str:
        number = next(n for n in found.groups() if n)
        return "" if number in numbers else found[0]

    line = _ALWAYS_MARKS.sub("", line)
    return _FOOTNOTE_MARK.sub(keep, line) if numbers else line


def _split_blocks(text: str, index: CountryNameIndex) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    major: int | None = None
    minor = 0
    closed = False  # the paragraph ended with a State and a full stop
    in_footnotes = False
    listing = False  # the current heading's recommendations are a list numbered 1., 2., ...

    # pdftotext -layout spreads footers out; Arabic PDFs mark directions around numbers
    lines = [_SPACES.sub(" ", _INVISIBLE.sub("", raw)).strip() for raw in text.splitlines()]
    footnotes, marks = _footnotes(lines)
    for number, line in enumerate(lines, start=1):
        if not line or number - 1 in footnotes:
            continue
        line = _without_marks(line, marks)
        if _is_furniture(line):
            # a page number alone does not end the footnotes after a separator: "1" may be
            # the first footnote's number
            in_footnotes = in_footnotes and not _is_page_end(line)
            continue
        if _FOOTNOTE_SEPARATOR.match(line):
            in_footnotes = True
            continue
        paragraph = _numbered(_PARAGRAPH, line)
        if paragraph is not None:
            new_major, new_minor = int(paragraph[1]), int(paragraph[3])
            if (
                major is None
                or (new_major == major and new_minor > minor)
                or (minor == 0 and new_major >= major)
                or (new_major == major + 1 and new_minor == 1)
            ):
                major, minor = new_major, new_minor
                current = _Block(number, f"{new_major}.{new_minor}", [])
                blocks.append(current)
                in_footnotes = listing = False
                closed = bool(paragraph[4]) and _append(current, paragraph[4], index)
                continue
        item = _LIST_ITEM.match(line)
        if item is not None and major is not None and _next_item(item, major, minor, listing):
            minor, listing = int(item[1]), True
            current = _Block(number, f"{major}.{minor}", [])
            blocks.append(current)
            in_footnotes = False
            closed = _append(current, item[2], index)
            continue
        heading = _numbered(_HEADING, line)
        if (
            heading is not None
            and (heading[3] is None or _capital_or_uncased(heading[3][0]))
            and (major is None or int(heading[1]) >= major)
        ):
            if heading[3] is not None and _CLOSING.match(heading[3]):
                break
            major, minor = int(heading[1]), 0
            current = None
            in_footnotes = listing = False
            continue
        bullet = _BULLET.match(line)
        if bullet is not None and current is not None and major is not None and minor > 0:
            minor += 1
            current = _Block(number, f"{major}.{minor}", [])
            blocks.append(current)
            in_footnotes = False
            closed = _append(current, bullet[1], index)
            continue
        if in_footnotes or current is None or closed:
            continue
        if _FOOTNOTE.match(line):
            continue
        closed = _append(current, line, index)
    return blocks


def _numbered(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    """A paragraph number or heading: "145.1", "145."; "145-1", "145-" only in Arabic."""
    found = pattern.match(line)
    if found is None or (found[2] == "-" and not _ARABIC.search(line)):
        return None
    return found


def _capital_or_uncased(char: str) -> bool:
    """A capital, or a letter of a script without case (Arabic, Chinese)."""
    return char.isupper() or (char.isalpha() and not char.islower())


def _next_item(item: re.Match[str], major: int, minor: int, listing: bool) -> bool:
    """A line "k. Text" is the next item of a numbered list under heading `major`: the list's
    first item (1, right after the heading) or the one after the last, and not a heading's
    words ("61. The following recommendations ...")."""
    number = int(item[1])
    if number != minor + 1 or (number > 1 and not listing):
        return False
    return not (number > major and _HEADING_START.match(item[2]))


def _append(block: _Block, line: str, index: CountryNameIndex) -> bool:
    """Add a line to a paragraph; True when the paragraph is now complete: it ends with a State
    and a full stop. After a State and ";" a clustered recommendation may still follow."""
    block.lines.append(line.strip())
    return _STATE_FULL_STOP.search(line) is not None and _ends_with_state(
        _join_lines(block.lines), index
    )


def _chinese_break(text: str, line: str) -> bool:
    """A line break between two Chinese characters (or their punctuation): no space."""
    return bool(_CJK.match(text[-1]) and _CJK.match(line[0]))


def _join_lines(lines: list[str]) -> str:
    text = ""
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if not text:
            text = line
            continue
        if text.endswith(SOFT_HYPHEN):
            text = text[:-1] + line
            continue
        hyphen = _SOFT_HYPHEN_END.search(text)
        if hyphen is not None and line[:1].islower():
            word = hyphen[1].casefold()
            compound = word in _KEEP_HYPHEN_PREFIXES or _KEEP_HYPHEN_BEFORE.match(line)
            text = text + line if compound else text[:-1] + line
        elif (text.endswith("-") and text[-2:-1].isalpha()) or _chinese_break(text, line):
            text += line
        else:
            text = f"{text} {line}"
    return text.replace(SOFT_HYPHEN, "")


# --- trailing State brackets ----------------------------------------------------------------


def _trailing_groups(text: str) -> list[tuple[int, str]]:
    """The trailing run of balanced bracket groups as (start offset, inner text), last first."""
    groups: list[tuple[int, str]] = []
    end = len(text.rstrip())
    while end > 0 and text[end - 1] in _CLOSE:
        depth = 0
        start = -1
        for position in range(end - 1, -1, -1):
            char = text[position]
            if char in _CLOSE:
                depth += 1
            elif char in _OPEN:
                depth -= 1
                if depth == 0:
                    start = position
                    break
        if start < 0:
            break
        groups.append((start, text[start + 1 : end - 1].strip()))
        end = len(text[:start].rstrip())
    return groups


def _plainly_not_state(content: str) -> bool:
    letters = [char for char in content if char.isalpha()]
    if not letters or any(char.isdigit() for char in content):
        return True
    stripped = content.lstrip("\"'«\u201c\u2018 ")
    if stripped[:1].islower():
        return True
    if _ACRONYM.match(content.replace(" ", "")) or _is_acronym(content):
        return True
    if _TEXT_PUNCTUATION.search(content):
        return True
    words = re.findall(r"\w+", content.casefold())
    if any(word in content for word in _CHINESE_DOCUMENT_WORDS):
        return True
    return len(words) > _MAX_STATE_WORDS or any(word in _DOCUMENT_WORDS for word in words)


def _is_acronym(content: str) -> bool:
    """Capitals only in a cased alphabet, two letters at least: "ФП-КПП", "УВКБ", "OPCAT"."""
    compact = content.replace(" ", "")
    letters = [char for char in compact if char.isalpha()]
    return (
        len(letters) >= 2
        and all(char.isupper() for char in letters)
        and _ANY_ACRONYM.match(compact) is not None
    )


def _resolve_name(name: str, index: CountryNameIndex) -> str | None:
    exact_only = _ACRONYM.match(name.replace(" ", "")) is not None
    return index.resolve(name, fuzzy=not exact_only)


def _split_top_level(content: str, separators: str = ",;،؛、\uff0c\uff1b") -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in content:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _classify_group(content: str, index: CountryNameIndex) -> tuple[list[str], list[str]] | None:
    """(resolved ISO3s, unresolved names) for a bracket group, or None if it is plainly text.
    A list of names that each resolve is read as a list before the whole is read fuzzily: the
    fuzzy reading of "United Kingdom of Great Britain and Northern Ireland, Canada" is GBR."""
    listed = _exact_list(content, index)
    if listed is not None:
        return listed, []
    parts = _split_top_level(content)
    each = [_resolve_part(part, index) for part in parts] if len(parts) > 1 else []
    if each and all(codes is not None for codes in each):
        return [code for codes in each if codes is not None for code in codes], []
    iso3 = _resolve_name(content, index)
    if iso3 is not None:
        return [iso3], []
    if any(codes is not None for codes in each):
        return (
            [code for codes in each if codes is not None for code in codes],
            [part for part, codes in zip(parts, each, strict=True) if codes is None],
        )
    if _plainly_not_state(content):
        return None
    return [], [content]


def _exact_list(part: str, index: CountryNameIndex) -> list[str] | None:
    """The States of a part read exactly: a name, "Czech Republic and Netherlands" (each side
    a name; "Trinidad and Tobago" is one), or, in Arabic, a name with "and" (و) before it."""
    part = _LEADING_CONJUNCTION.sub("", part)
    iso3 = _exact_name(part, index)
    if iso3 is not None:
        return [iso3]
    # "Trinidad and Tobago and Saint Vincent and the Grenadines": the "and"s between names are
    # those that leave a name on each side, read exactly
    pieces = _CONJUNCTION.split(part)
    joiners = _CONJUNCTION.findall(part)
    return _names_in_turn(pieces, joiners, index) if len(pieces) > 1 else None


def _exact_name(name: str, index: CountryNameIndex) -> str | None:
    """One State read exactly, also with the Arabic "and" (و) written onto it."""
    iso3 = index.resolve(name, fuzzy=False)
    if iso3 is None and name.startswith("و"):
        iso3 = index.resolve(name[1:], fuzzy=False)
    return iso3


def _names_in_turn(
    pieces: list[str], joiners: list[str], index: CountryNameIndex
) -> list[str] | None:
    """The States that `pieces` (split at `joiners`) make when consecutive pieces joined back
    each form a name, the fewest names first; None when no such reading exists."""
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(pieces) + 1):
        for start in range(end - 1, -1, -1):
            if start not in best:
                continue
            name = pieces[start] + "".join(
                joiner + piece
                for joiner, piece in zip(
                    joiners[start : end - 1], pieces[start + 1 : end], strict=True
                )
            )
            iso3 = _exact_name(name.strip(), index)
            if iso3 is not None and (end not in best or len(best[start]) + 1 < len(best[end])):
                best[end] = [*best[start], iso3]
    return best.get(len(pieces))


def _resolve_part(part: str, index: CountryNameIndex) -> list[str] | None:
    """A part of a list of States: read exactly, else one name read fuzzily."""
    exact = _exact_list(part, index)
    if exact is not None:
        return exact
    iso3 = _resolve_name(part, index)
    return [iso3] if iso3 is not None else None


def _ends_with_state(text: str, index: CountryNameIndex) -> bool:
    groups = _trailing_groups(_TERMINAL.sub("", text))
    if not groups:
        return False
    classified = _classify_group(groups[0][1], index)
    return classified is not None and bool(classified[0])


def _parse_block(
    block: _Block, index: CountryNameIndex, *, keep_partial: bool
) -> list[ParsedParagraph | ParseProblem]:
    """One paragraph: one recommendation, or one per member of a cluster (numbered 145.12a,
    145.12b, ...), and a problem for text after the last State that has no State of its own."""
    members, tail = _cluster_members(_join_lines(block.lines), index)
    results: list[ParsedParagraph | ParseProblem] = []
    for position, member in enumerate(members):
        number = block.number + (_member_suffix(position) if len(members) > 1 else "")
        results.extend(_parse_recommendation(block.line, number, member, index, keep_partial))
    if _TERMINAL.sub("", tail).strip(" ,;:\u00a0\u202f"):
        quoted = tail if len(tail) <= _QUOTED_TAIL else tail[:_QUOTED_TAIL] + "..."
        results.append(
            ParseProblem(
                block.line,
                f"paragraph {block.number}: text after the last recommending State has no State "
                f"of its own: {quoted!r}",
            )
        )
    return results


def _cluster_members(body: str, index: CountryNameIndex) -> tuple[list[str], str]:
    """The recommendations of a paragraph (at least one), each ending with its States, and the
    text after the last one's States when that text names no State of its own. A member ends
    at ";" after a bracket group that looks like a State (resolved or not) when a word
    follows."""
    members: list[str] = []
    start = 0
    for found in _CLUSTER_BREAK.finditer(body):
        candidate = body[start : found.start() + 1]
        if _ends_with_state_like(candidate, index):
            members.append(candidate)
            start = found.end()
    rest = body[start:]
    if members and not _ends_with_state_like(_TERMINAL.sub("", rest), index):
        return members, rest
    return [*members, rest], ""


def _ends_with_state_like(text: str, index: CountryNameIndex) -> bool:
    groups = _trailing_groups(text)
    return bool(groups) and _classify_group(groups[0][1], index) is not None


def _member_suffix(number: int) -> str:
    """a, b, ..., z, aa, ab, ...: stable for a given position in the paragraph."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _parse_recommendation(
    line: int, number: str, text: str, index: CountryNameIndex, keep_partial: bool
) -> list[ParsedParagraph | ParseProblem]:
    label = f"paragraph {number}"
    body = _TERMINAL.sub("", text)
    states: list[str] = []
    unresolved: list[str] = []
    cut = len(body)
    for start, content in _trailing_groups(body):
        classified = _classify_group(content, index)
        if classified is None:
            break
        states[:0] = classified[0]
        unresolved[:0] = classified[1]
        cut = start
    clean = body[:cut].rstrip(" ,;:،\uff0c\uff1b\uff1a\u00a0\u202f")
    clean = _TERMINAL.sub("", clean).strip()

    if not clean:
        return [ParseProblem(line, f"{label}: no recommendation text")]
    if unresolved:
        names = ", ".join(repr(name) for name in unresolved)
        results: list[ParsedParagraph | ParseProblem] = [
            ParseProblem(line, f"{label}: recommending State not recognised: {names}")
        ]
        if keep_partial:
            results.append(ParsedParagraph(line, number, clean, _unique(states), unresolved))
        return results
    if not states:
        return [ParseProblem(line, f"{label}: no recommending State in brackets at the end")]
    return [ParsedParagraph(line, number, clean, _unique(states))]


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))
