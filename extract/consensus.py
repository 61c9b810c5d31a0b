"""Correct an OCR'd indicator name by the other readings of it in the same row.

A form repeats each 三级 name in the row's other cells: the target (``…，社区矫正任务完成率
≥95%``) and the scoring basis (``社区矫正任务完成率为100%…``). Each is an independent
OCR reading, so a character misread in the name cell (``社区频正任务完成率``) is usually
read right elsewhere. Characters are voted position by position over the name and its
close same-length occurrences; the raw reading stays in the provenance.
"""

from __future__ import annotations

from collections import Counter

# An occurrence must agree with the name on all but this many characters to be counted
# (one or two misreads on either side; fewer for short names, see _max_diff).
MAX_DIFF = 2
# Names shorter than this are not voted on: too little context to find them reliably.
MIN_NAME = 4


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


def vote_name(name: str, others: list[str]) -> str:
    """``name`` with each character replaced by the majority of its readings, when a
    strict majority of at least two other readings disagrees with it."""
    if len(name) < MIN_NAME:
        return name
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
