"""selfeval: performance self-evaluation forms (绩效自评表) → validated data.

>>> from extract import read_form, to_frames
>>> form = read_form("samples/exported/seed_haizhu_2021.pdf")
>>> frames = to_frames(form)  # indicators, budget, findings as pandas DataFrames
>>> forms = read_document("samples/project/proj_multi_2023.pdf")  # every form of a file
"""

import logging

from .api import find_tables, read_folder, read_forms, tables_to_frames, to_frames
from .errors import SelfEvalError
from .model import BudgetValue, Finding, Form, Indicator
from .pipeline import Options, process_file, read_document, read_form

__all__ = [
    "BudgetValue", "Finding", "Form", "Indicator", "Options", "SelfEvalError",
    "find_tables", "process_file", "read_document", "read_folder", "read_form", "read_forms",
    "tables_to_frames", "to_frames",
]  # fmt: skip
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
