"""CSV and JSON of the output contract (docs/forms.md §6)."""
