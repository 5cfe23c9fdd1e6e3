"""Formats for the screens, shared with reports so a value reads the same on screen, in PDFs and in exports."""

from reports.formats import day, moment, money, number

__all__ = ["day", "moment", "money", "number"]
