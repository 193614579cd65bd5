"""How figures read in every output: efforts, weeks, money. One home, so words and tables agree."""

from __future__ import annotations


def format_effort(value: float | int) -> str:
    """Person-weeks as people write them: 2, 2.5, 0.75."""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def format_person_weeks(value: float | int) -> str:
    """Effort in words: "1 person-week", "2.5 person-weeks"."""
    return f"{format_effort(value)} person-week{'' if float(value) == 1 else 's'}"


def format_weeks(value: float | int) -> str:
    """Calendar weeks to a tenth: "3 weeks", "2.5 weeks", "1 week"."""
    number = round(float(value), 1)
    text = str(int(number)) if number.is_integer() else f"{number:g}"
    return f"{text} week" if number == 1 else f"{text} weeks"


def format_money(value: float | int, currency: str) -> str:
    """A rounded amount with thousands separators and the currency code: "EUR 148,500"."""
    return f"{currency} {round(float(value)):,}".strip()
