"""kb.core."""
