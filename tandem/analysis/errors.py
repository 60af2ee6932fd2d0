"""Errors the analysis engines raise for input they cannot use."""


class AnalysisInputError(ValueError):
    """Input the engines cannot read; the message says what is wrong, for the person who gave it."""
