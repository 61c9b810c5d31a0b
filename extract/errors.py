"""Typed errors. Each carries the exit code the CLI uses when it is the only outcome."""

from __future__ import annotations


class SelfEvalError(Exception):
    """Base class: a file could not be turned into a form."""

    exit_code = 2


class InputFileError(SelfEvalError):
    """The input is missing, empty, not a PDF/image, corrupt or unreadable."""

    exit_code = 2


class EncryptedPdfError(InputFileError):
    """The PDF needs a password."""


class NoTableError(SelfEvalError):
    """No ruled table, or no indicator table, was found."""

    exit_code = 3


class UnknownFormError(SelfEvalError):
    """The document matches no form family in ``layouts/``."""

    exit_code = 3


class LayoutError(SelfEvalError):
    """A layout definition is missing or invalid (a configuration problem)."""

    exit_code = 4


class OcrEngineError(SelfEvalError):
    """The OCR engine is not installed or failed."""

    exit_code = 5
