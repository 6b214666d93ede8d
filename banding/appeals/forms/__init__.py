"""Forms of the staff workspace: intake, register filters and one per SOP action."""
