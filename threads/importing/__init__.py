"""The seed formats: ``parsing`` (text to records) and ``loading`` (records to the database)."""
