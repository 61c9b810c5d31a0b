"""Form knowledge: layouts and label matching, sections, OCR readings repaired with the
form's knowledge, 一级/二级 blocks across page breaks, and the parser."""
