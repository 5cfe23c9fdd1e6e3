"""Formats for the screens, shared with reports so a value reads the same on screen, in PDFs and in exports."""

from reports.formats import count_of, day, moment, money, number

__all__ = ["count_of", "day", "moment", "money", "number"]
