"""The per-worker memory of persisted queries stays within its size."""

from graph.persisted_queries import BoundedDocuments


def test_the_least_recently_used_go_first() -> None:
    memory = BoundedDocuments(max_chars=10)
    memory.put("a", "aaaa")
    memory.put("b", "bbbb")
    assert memory.get("a") == "aaaa"  # now b is the least recently used
    memory.put("c", "cccc")
    assert memory.get("b") is None
    assert memory.get("a") == "aaaa"
    assert memory.get("c") == "cccc"
    assert memory.chars == 8


def test_a_document_larger_than_the_memory_is_not_kept() -> None:
    memory = BoundedDocuments(max_chars=3)
    memory.put("a", "aaaa")
    assert memory.get("a") is None
    assert memory.chars == 0


def test_replacing_a_document_counts_it_once() -> None:
    memory = BoundedDocuments(max_chars=10)
    memory.put("a", "aaaa")
    memory.put("a", "aaaaaa")
    assert memory.chars == 6
    assert len(memory) == 1
