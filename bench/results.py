"""What a target's measurement produced, as the report and the console show it."""

from dataclasses import dataclass, field


@dataclass
class TargetResult:
    number: int
    title: str
    goal: str
    measured: str
    passed: bool
    details: list[str] = field(default_factory=list)
    # name -> value, for the plot
    series: dict[str, float] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"
