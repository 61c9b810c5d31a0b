"""The validation rules: a parsed form → findings (data, never exceptions)."""
