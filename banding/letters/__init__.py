"""Official letters: generated from the case, numbered, signed, verifiable."""
