"""Correct an OCR'd indicator name by the other readings of it in the same row.

A form repeats each 三级 name in the row's other cells: the target (``…，社区矫正任务完成率
≥95%``) and the scoring basis (``社区矫正任务完成率为100%…``). Each is an independent
OCR reading, so a character misread or dropped in the name cell (``社区频正任务完成率``,
``村居法律问服务对象满意度``) is usually read right elsewhere. In order:

1. whole readings: the closest substring of each other text (by edit distance, so a
   dropped or extra character counts as one difference); a reading held by more texts
   than the name's own wins;
2. a tie between the name and one other reading is settled by the form itself: the
   reading whose character pairs occur more often across the form's texts (``村居``,
   ``顾问`` repeat in every 村居法律顾问 row; a misread ``村据`` occurs once);
3. characters voted position by position over same-length occurrences;
4. a character seen only here, between two characters on each side that recur in the
   form around another character (``、有時必应`` once, ``、有呼必应`` in four other cells),
   is replaced by that character (``fix_by_context``).

The raw reading stays in the provenance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..text.normalize import is_cjk

# An occurrence must agree with the name on all but this many characters to be counted
# (one or two misreads on either side; fewer for short names, see _max_diff).
MAX_DIFF = 2
# Names shorter than this are not voted on: too little context to find them reliably.
MIN_NAME = 4
# In a tie, a reading's own character pairs must each occur at least this often in the
# form, and more often than every pair only the name has.
MIN_PAIR_SUPPORT = 3


def _max_diff(length: int) -> int:
    return 1 if length < 7 else MAX_DIFF


def occurrences(name: str, text: str) -> list[str]:
    """Substrings of ``text`` as long as ``name`` that differ from it in at most a few
    characters (the closest ones, not overlapping)."""
    n = len(name)
    found: list[tuple[int, int]] = []
    limit = _max_diff(n)
    for start in range(0, len(text) - n + 1):
        window = text[start : start + n]
        diff = sum(1 for a, b in zip(name, window) if a != b)
        if diff <= limit and diff < n - diff:
            found.append((diff, start))
    found.sort()
    taken: list[int] = []
    for _, start in found:
        if all(abs(start - other) >= n for other in taken):
            taken.append(start)
    return [text[s : s + n] for s in sorted(taken)]


def closest_substring(name: str, text: str) -> tuple[int, str]:
    """(edit distance, substring) of the substring of ``text`` closest to ``name``
    (approximate substring matching; ties go to the substring nearest ``name``'s length)."""
    n, m = len(name), len(text)
    # dist[i][j]: distance of name[:i] to the best substring of text ending at j;
    # start[i][j]: where that substring starts
    prev = [0] * (m + 1)
    prev_start = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        cur_start = [0] * (m + 1)
        for j in range(1, m + 1):
            options = (
                (prev[j - 1] + (name[i - 1] != text[j - 1]), prev_start[j - 1]),
                (prev[j] + 1, prev_start[j]),  # name character missing from the text
                (cur[j - 1] + 1, cur_start[j - 1]),  # extra character in the text
            )
            cur[j], cur_start[j] = min(options, key=lambda o: o[0])
        prev, prev_start = cur, cur_start
    best: tuple[int, int, str] | None = None
    for j in range(m + 1):
        piece = text[prev_start[j] : j]
        key = (prev[j], abs(len(piece) - n), piece)
        if best is None or key[:2] < best[:2]:
            best = key
    assert best is not None
    return best[0], best[2]


def pair_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each pair of adjacent characters occurs in ``texts`` (the form's prior)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text[i : i + 2] for i in range(len(text) - 1))
    return counts


# Characters of context on each side of a character fixed by fix_by_context. Both sides
# always: with one side only, sibling names sharing a prefix are confused (村居法律顾问任务…
# would become 顾问服务… after three 顾问服务对象 rows; measured (3, 1) + (1, 3) contexts:
# 150 dpi names +1.6 points; (4, 0) + (0, 4): 200 dpi names -1.8).
CONTEXT = 2


@dataclass
class FormPrior:
    """What a form's own texts say about which characters go together."""

    pairs: Counter[str] = field(default_factory=Counter)
    # two characters before + two after → how often each character stands between them
    middles: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @classmethod
    def of(cls, texts: Iterable[str]) -> FormPrior:
        texts = list(texts)
        prior = cls(pairs=pair_counts(texts))
        for text in texts:
            for i in range(CONTEXT, len(text) - CONTEXT):
                prior.middles[_context(text, i)][text[i]] += 1
        return prior


def _context(text: str, i: int) -> str:
    return text[i - CONTEXT : i] + text[i + 1 : i + 1 + CONTEXT]


def fix_by_context(name: str, prior: FormPrior) -> str:
    """``name`` with each character that occurs only here between its CONTEXT neighbours
    on each side replaced by the character the form has there at least
    MIN_PAIR_SUPPORT times."""
    if len(name) < MIN_NAME:
        return name
    out = list(name)
    for i in range(CONTEXT, len(name) - CONTEXT):
        seen = prior.middles.get(_context(name, i))
        if not seen or seen[name[i]] > 1:
            continue
        best, count = seen.most_common(1)[0]
        # only one Chinese character for another: digits and marks carry data
        # (为95%，once against 为98%， in three rows is not a misread)
        if best != name[i] and count >= MIN_PAIR_SUPPORT and is_cjk(best) and is_cjk(name[i]):
            out[i] = best
    return "".join(out)


def _better_supported(candidate: str, name: str, pairs: Counter[str]) -> bool:
    """Whether the pairs only ``candidate`` has are all common in the form and each more
    common than every pair only ``name`` has."""
    own = pair_counts([candidate]) - pair_counts([name])
    theirs = pair_counts([name]) - pair_counts([candidate])
    if not own:
        return False
    weakest = min(pairs[p] for p in own)
    return weakest >= MIN_PAIR_SUPPORT and all(weakest > pairs[p] for p in theirs)


def vote_name(name: str, others: list[str], prior: FormPrior | None = None) -> str:
    """``name`` corrected by its readings in ``others`` and by ``prior``, the form's
    texts (see the module docstring)."""
    voted = _vote(name, others, prior.pairs if prior is not None else None)
    return fix_by_context(voted, prior) if prior is not None else voted


def _vote(name: str, others: list[str], pairs: Counter[str] | None) -> str:
    if len(name) < MIN_NAME:
        return name
    limit = _max_diff(len(name))
    whole = [name]
    for text in others:
        distance, piece = closest_substring(name, text)
        if distance <= limit and len(piece) >= MIN_NAME:
            whole.append(piece)
    counts = Counter(whole)
    best, count = counts.most_common(1)[0]
    if best != name and count >= 2 and count > counts[name]:
        return best
    if pairs is not None:
        tied = [r for r, k in counts.items() if r != name and k == counts[name]]
        supported = [r for r in tied if _better_supported(r, name, pairs)]
        if len(supported) == 1:
            return supported[0]
    readings = [name]
    for text in others:
        readings += occurrences(name, text)
    if len(readings) < 3:
        return name
    out = []
    for i, ch in enumerate(name):
        votes = Counter(r[i] for r in readings)
        best, count = votes.most_common(1)[0]
        out.append(best if best != ch and count >= 2 and count > votes[ch] else ch)
    return "".join(out)
