"""kb.cases."""
