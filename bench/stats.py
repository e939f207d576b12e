"""Small statistics for noisy timings: medians of several side-by-side runs."""

import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Per-round ratios: each pair was measured back to back, so shared noise cancels."""
    return [a / b for a, b in zip(numerators, denominators, strict=True)]
