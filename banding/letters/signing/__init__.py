"""The letters' electronic signature (PAdES, docs/letters.md): where the signers' certificates
are (config, read by settings.py: so this package imports nothing at its top), opening them
(certificates), signing a letter's PDF (pades) and checking a signed one (verification)."""
