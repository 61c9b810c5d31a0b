"""Text helpers every stage uses: numbers as printed, normalisation, clean-up of readings."""
