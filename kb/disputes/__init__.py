"""kb.disputes."""
