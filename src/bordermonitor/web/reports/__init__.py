"""Record page, review moves, history and review queue (METHODOLOGY §1 roles, §2 fields)."""
