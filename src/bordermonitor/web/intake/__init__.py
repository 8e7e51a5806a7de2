"""The intake form: recording a report step by step (METHODOLOGY §2), with drafts that are never lost."""
