"""OCR-tolerant comparison of labels and names: similarity, synonyms, lexicon snapping."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from ..text.normalize import match_key

# A name is snapped only when its best lexicon entry beats the second best by this much
# (预算完成率 and 预算执行率 are 0.8 alike: an unclear reading must not pick either).
SNAP_MARGIN = 0.1


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    return match_key(text)


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """Similarity of two normalised strings in [0, 1]."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def matches(text: str, synonyms: tuple[str, ...], threshold: float, *, contains: bool = False) -> float:
    """Best similarity of ``text`` to any synonym (1.0 when a synonym is contained and
    ``contains`` is set); 0.0 below ``threshold``."""
    key = _key(text)
    if not key:
        return 0.0
    best = 0.0
    for synonym in synonyms:
        syn = _key(synonym)
        if contains and syn and syn in key:
            return 1.0
        if len(key) > 2 * len(syn) + 2:  # a long text is no label: skip the costly ratio
            continue
        best = max(best, similarity(key, syn))
    return best if best >= threshold else 0.0


def best_match(text: str, names: tuple[str, ...], threshold: float) -> str | None:
    """The name most similar to ``text`` (at least ``threshold``), or None."""
    key = match_key(text)
    scored = [(similarity(key, match_key(name)), name) for name in names]
    score, name = max(scored, default=(0.0, ""))
    return name if score >= threshold and name else None


def snap(text: str, lexicon: tuple[str, ...], threshold: float) -> str:
    """The lexicon entry closest to an OCR'd ``text`` when at least ``threshold`` similar,
    else ``text`` unchanged."""
    if not text or not lexicon:
        return text
    key = _key(text)
    if any(_key(entry) == key for entry in lexicon):
        return next(entry for entry in lexicon if _key(entry) == key)
    scored = sorted(((similarity(key, _key(entry)), entry) for entry in lexicon), reverse=True)
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= threshold and best_score - runner_up >= SNAP_MARGIN:
        return best
    # one misread character in a four-character name is 0.75 alike: snap it only when
    # nothing else in the lexicon comes near (资金管用 → 资金管理, not 资产管理 at 0.5)
    if best_score >= threshold - SNAP_MARGIN / 2 and best_score - runner_up >= 2 * SNAP_MARGIN:
        return best
    return text


def split_into(text: str, lexicon: tuple[str, ...], parts: int) -> list[str] | None:
    """``text`` as ``parts`` lexicon entries run together, in order (exact after
    normalisation), or None. ``资金管理采购管理`` → [资金管理, 采购管理]."""
    key = _key(text)
    entries = sorted({(_key(e), e) for e in lexicon}, key=lambda kv: -len(kv[0]))

    def walk(rest: str, n: int) -> list[str] | None:
        if n == 0:
            return [] if not rest else None
        for k, entry in entries:
            if k and rest.startswith(k):
                tail = walk(rest[len(k):], n - 1)
                if tail is not None:
                    return [entry, *tail]
        return None

    return walk(key, parts) if parts > 1 and key else None
