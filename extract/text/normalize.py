"""Text normalisation for values read from PDF text layers and OCR.

`normalize_text` is for values kept in the output: it folds compatibility forms
(full-width letters and digits, Kangxi radicals, radical code points some PDF
writers use for ordinary characters) but keeps Chinese full-width punctuation.
`match_key` is for comparing headers and names: it also drops whitespace and
punctuation and lowercases.
"""

from __future__ import annotations

import re
import unicodedata

# Characters NFKC leaves alone but that PDF writers (via their ToUnicode maps) use
# for ordinary characters of the same shape. Mostly CJK Radicals Supplement code
# points (U+2E80–U+2EFF), each mapped to the unified ideograph that looks the same;
# radicals with no common standalone equivalent (e.g. ⺮ bamboo top, ⻊ foot) are
# left alone. Kangxi Radicals (U+2F00–U+2FDF, e.g. ⽬ U+2F6C) are handled by NFKC.
RADICAL_FIXES: dict[str, str] = {
    "\u2e81": "厂",  # ⺁ CLIFF
    "\u2e85": "亻",  # ⺅ PERSON
    "\u2e86": "冂",  # ⺆ BOX
    "\u2e89": "刂",  # ⺉ KNIFE TWO
    "\u2e8a": "卜",  # ⺊ DIVINATION
    "\u2e8e": "兀",  # ⺎ LAME ONE
    "\u2e90": "尢",  # ⺐ LAME THREE
    "\u2e92": "巳",  # ⺒ SNAKE
    "\u2e93": "幺",  # ⺓ THREAD
    "\u2e94": "彑",  # ⺔ SNOUT ONE
    "\u2e96": "忄",  # ⺖ HEART ONE
    "\u2e98": "扌",  # ⺘ HAND
    "\u2e99": "攵",  # ⺙ RAP
    "\u2e9b": "旡",  # ⺛ CHOKE
    "\u2e9d": "月",  # ⺝ MOON
    "\u2e9e": "歺",  # ⺞ DEATH
    "\u2ea0": "民",  # ⺠ CIVILIAN
    "\u2ea1": "氵",  # ⺡ WATER ONE
    "\u2ea2": "氺",  # ⺢ WATER TWO
    "\u2ea3": "灬",  # ⺣ FIRE
    "\u2ea4": "爫",  # ⺤ PAW ONE
    "\u2ea6": "丬",  # ⺦ SIMPLIFIED HALF TREE TRUNK
    "\u2ea7": "牜",  # ⺧ COW
    "\u2ea8": "犭",  # ⺨ DOG
    "\u2ea9": "王",  # ⺩ JADE
    "\u2eaa": "疋",  # ⺪ BOLT OF CLOTH
    "\u2eab": "罒",  # ⺫ EYE
    "\u2eac": "示",  # ⺬ SPIRIT ONE
    "\u2ead": "礻",  # ⺭ SPIRIT TWO
    "\u2eaf": "糹",  # ⺯ SILK
    "\u2eb0": "纟",  # ⺰ C-SIMPLIFIED SILK
    "\u2eb2": "罒",  # ⺲ NET TWO
    "\u2eb9": "耂",  # ⺹ OLD
    "\u2eba": "肀",  # ⺺ BRUSH ONE
    "\u2ebc": "月",  # ⺼ MEAT
    "\u2ebe": "艹",  # ⺾ GRASS ONE
    "\u2ebf": "艹",  # ⺿ GRASS TWO
    "\u2ec0": "艹",  # ⻀ GRASS THREE
    "\u2ec1": "虎",  # ⻁ TIGER
    "\u2ec2": "衤",  # ⻂ CLOTHES
    "\u2ec3": "覀",  # ⻃ WEST ONE
    "\u2ec4": "西",  # ⻄ WEST TWO
    "\u2ec5": "见",  # ⻅ C-SIMPLIFIED SEE
    "\u2ec6": "角",  # ⻆ SIMPLIFIED HORN
    "\u2ec8": "讠",  # ⻈ C-SIMPLIFIED SPEECH
    "\u2ec9": "贝",  # ⻉ C-SIMPLIFIED SHELL
    "\u2ecb": "车",  # ⻋ C-SIMPLIFIED CART
    "\u2ecc": "辶",  # ⻌ SIMPLIFIED WALK
    "\u2ecd": "辶",  # ⻍ WALK ONE
    "\u2ece": "辶",  # ⻎ WALK TWO
    "\u2ecf": "阝",  # ⻏ CITY
    "\u2ed0": "钅",  # ⻐ C-SIMPLIFIED GOLD
    "\u2ed1": "長",  # ⻑ LONG ONE
    "\u2ed2": "镸",  # ⻒ LONG TWO
    "\u2ed3": "长",  # ⻓ C-SIMPLIFIED LONG (named in docs/forms.md §5)
    "\u2ed4": "门",  # ⻔ C-SIMPLIFIED GATE (named in docs/forms.md §5)
    "\u2ed6": "阝",  # ⻖ MOUND TWO
    "\u2ed8": "青",  # ⻘ BLUE
    "\u2ed9": "韦",  # ⻙ C-SIMPLIFIED TANNED LEATHER
    "\u2eda": "页",  # ⻚ C-SIMPLIFIED LEAF
    "\u2edb": "风",  # ⻛ C-SIMPLIFIED WIND
    "\u2edc": "飞",  # ⻜ C-SIMPLIFIED FLY
    "\u2edd": "食",  # ⻝ EAT ONE
    "\u2edf": "飠",  # ⻟ EAT THREE
    "\u2ee0": "饣",  # ⻠ C-SIMPLIFIED EAT
    "\u2ee1": "首",  # ⻡ HEAD
    "\u2ee2": "马",  # ⻢ C-SIMPLIFIED HORSE
    "\u2ee3": "骨",  # ⻣ BONE
    "\u2ee4": "鬼",  # ⻤ GHOST
    "\u2ee5": "鱼",  # ⻥ C-SIMPLIFIED FISH
    "\u2ee6": "鸟",  # ⻦ C-SIMPLIFIED BIRD
    "\u2ee7": "卤",  # ⻧ C-SIMPLIFIED SALT
    "\u2ee8": "麦",  # ⻨ SIMPLIFIED WHEAT
    "\u2ee9": "黄",  # ⻩ SIMPLIFIED YELLOW
    "\u2eea": "黾",  # ⻪ C-SIMPLIFIED FROG
    "\u2eeb": "斉",  # ⻫ J-SIMPLIFIED EVEN
    "\u2eec": "齐",  # ⻬ C-SIMPLIFIED EVEN
    "\u2eed": "歯",  # ⻭ J-SIMPLIFIED TOOTH
    "\u2eee": "齿",  # ⻮ C-SIMPLIFIED TOOTH
    "\u2eef": "竜",  # ⻯ J-SIMPLIFIED DRAGON
    "\u2ef0": "龙",  # ⻰ C-SIMPLIFIED DRAGON
    "\u2ef2": "亀",  # ⻲ J-SIMPLIFIED TURTLE
    # Traditional/Japanese variants that text layers emit for 户 (docs/forms.md §5).
    "戶": "户",
    "戸": "户",
}

_RADICAL_TABLE = str.maketrans(RADICAL_FIXES)

# Chinese full-width punctuation kept as printed: NFKC would turn these into ASCII
# (`，` → `,`, `（` → `(`, `…` → `...`), which changes the stored text.
KEPT_PUNCTUATION = frozenset("，。、：；！？（）“”‘’《》〈〉【】〔〕「」『』…—～·")
# Roman numerals as printed (`Ⅴ类水质`): NFKC would spell them with Latin letters.
ROMAN_NUMERALS = frozenset(chr(c) for c in range(0x2160, 0x2180))
_KEPT = KEPT_PUNCTUATION | ROMAN_NUMERALS

_WHITESPACE_RE = re.compile(r"\s+")

# The core of Chinese text in a regex class: radicals, CJK symbols and punctuation,
# unified ideographs (BMP) and full-width forms. OCR clean-up keys on these.
CJK_CORE_CLASS = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60"
# Code points treated as CJK when deciding where spaces belong: radicals, CJK
# symbols and punctuation, kana, ideographs (BMP and supplementary), compatibility
# ideographs, vertical and full-width forms, and the quotes/ellipsis/dash used in
# Chinese text.
_CJK_CLASS = (
    CJK_CORE_CLASS
    + "\u3040-\u30ff\uf900-\ufaff\ufe30-\ufe4f\uffe0-\uffe6"
    "\U00020000-\U0003134f\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
)
_CJK_RE = re.compile(f"[{_CJK_CLASS}]")
_INNER_CJK_SPACE_RE = re.compile(f"(?<=[{_CJK_CLASS}])\\s+(?=[{_CJK_CLASS}])")

# A line ending in one of these continues a number on the next line (`65,240,` / `247.04`).
_NUMBER_TAIL = frozenset("0123456789.,")
_NUMBER_HEAD = frozenset("0123456789.,%")


def is_cjk(ch: str) -> bool:
    """True when the single character `ch` is CJK (ideograph, radical, kana or CJK punctuation)."""
    return bool(_CJK_RE.fullmatch(ch))


_KEPT_SPLIT_RE = re.compile("([" + re.escape("".join(sorted(_KEPT))) + "])")


def _nfkc_keeping_punctuation(s: str) -> str:
    # NFKC on the runs between kept punctuation marks, not per character, so that
    # combining marks still compose with the character before them.
    return "".join(
        part if part in _KEPT else unicodedata.normalize("NFKC", part)
        for part in _KEPT_SPLIT_RE.split(s)
    )


def normalize_text(s: str) -> str:
    """NFKC-normalise `s` (keeping Chinese punctuation and Roman numerals), fix radical code points,
    collapse whitespace runs to one space and strip."""
    text = _nfkc_keeping_punctuation(s).translate(_RADICAL_TABLE)
    return _WHITESPACE_RE.sub(" ", text).strip()


def match_key(s: str) -> str:
    """A key for matching headers and names: normalised, without whitespace or
    punctuation (ASCII and CJK), full-width folded to half-width, lowercased."""
    text = unicodedata.normalize("NFKC", normalize_text(s))
    kept = "".join(
        ch
        for ch in text
        if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "Z"))
    )
    # NFKC again: dropping a space or lowercasing can leave a decomposed sequence.
    return unicodedata.normalize("NFKC", kept.lower())


def strip_inner_cjk_spaces(s: str) -> str:
    """Remove whitespace between two CJK characters (`绩 效 目 标` → `绩效目标`);
    spaces next to Latin letters or digits are kept."""
    return _INNER_CJK_SPACE_RE.sub("", s)


def _line_separator(prev: str, nxt: str) -> str:
    last, first = prev[-1], nxt[0]
    if is_cjk(last) or is_cjk(first):
        return ""
    if last in _NUMBER_TAIL and first in _NUMBER_HEAD:
        return ""
    if last == "-":  # hyphenated word or range split at the line end
        return ""
    if last.isascii() and last.isalnum() and first.isascii() and first.isalnum():
        return " "  # two Latin words or numbers
    return ""  # symbols (≥, %, (, …) and punctuation attach to what follows


def join_cjk_lines(lines: list[str]) -> str:
    """Join the wrapped lines of one cell: no separator at a CJK boundary or inside a
    wrapped number, one space between Latin words. Blank lines are dropped."""
    parts = [line.strip() for line in lines]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out += _line_separator(out, part) + part
    return out
