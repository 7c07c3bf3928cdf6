"""rasd.memo.BoundedMemo: the answer of fn, computed once per key, memory bounded."""

from __future__ import annotations

from rasd.memo import BoundedMemo


def test_computes_once_per_key():
    calls: list[str] = []
    memo = BoundedMemo(lambda k: calls.append(k) or len(k))
    assert [memo("ab"), memo("ab"), memo("abc")] == [2, 2, 3]
    assert calls == ["ab", "abc"]


def test_starts_over_past_its_limit():
    memo = BoundedMemo(lambda k: k * 2, limit=3)
    for k in "abcdefg":
        assert memo(k) == k * 2
        assert len(memo) <= 3
    assert "g" in memo and "a" not in memo


def test_tuple_keys_and_falsy_answers_are_cached():
    calls = []
    memo = BoundedMemo(lambda k: calls.append(k) or None)
    assert memo(("و", "قال")) is None and memo(("و", "قال")) is None
    assert len(calls) == 1


def test_between_units_empties_only_when_trimmed():
    memo = BoundedMemo(lambda k: k * 2, limit=2, between_units=True)
    for k in "abcd":
        memo(k)
    assert len(memo) == 4  # entries stay valid for the whole unit of work
    assert memo.trim() and len(memo) == 0
    memo("a")
    assert not memo.trim() and memo("a") == "aa"
