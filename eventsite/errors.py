"""The one exception type for mistakes in the organiser's sources, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One mistake (or warning) in a source file, located by file, line and column."""

    file: str
    line: int
    message: str
    column: int = 0

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


def closest(word: str, choices) -> str | None:
    """The choice `word` most likely misspells, for a "Did you mean …?", or None. (difflib is
    imported only when there is a mistake to explain.)"""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


class SiteError(Exception):
    """Raised with every problem found, so the organiser can fix them all in one go."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # rebuilt from its problems when it crosses from a worker process
        return SiteError, (self.problems,)


@dataclass
class Report:
    """Collects errors and warnings during loading, so one run reports all of them."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int, message: str, column: int = 0) -> None:
        self.errors.append(Problem(file, line, message, column))

    def warn(self, file: str, line: int, message: str, column: int = 0) -> None:
        self.warnings.append(Problem(file, line, message, column))

    def raise_if_errors(self, strict: bool = False) -> None:
        """Raise the errors, and with `strict` (--strict) the warnings with them."""
        problems = [*self.errors, *self.warnings] if strict else self.errors
        if problems:
            raise SiteError(problems)
