"""What refuses a publication: a problem names the published report to correct, the field and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Problem", "PublicationRefused"]


@dataclass(frozen=True, slots=True)
class Problem:
    organisation: str
    ref: str
    report_id: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"report '{self.organisation}/{self.ref}'" if self.ref else "release"
        return f"{where}, {self.field}: {self.message}"


class PublicationRefused(Exception):
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"publication refused: {len(self.problems)} problem(s)")
