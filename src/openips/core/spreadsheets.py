"""Text written to a CSV or workbook that a spreadsheet cannot run as a formula."""

# A text cell starting with one of these is a formula to a spreadsheet (tab and CR too, as
# OWASP lists them). Export puts a quote in front, and so in front of a text that starts with a
# quote itself, so that import can take exactly one quote off again: text out is text back in.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARDED_START = (*FORMULA_START, "'")


def guard(text: str) -> str:
    return "'" + text if text.startswith(GUARDED_START) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(GUARDED_START) else text
