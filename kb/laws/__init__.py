"""kb.laws."""
