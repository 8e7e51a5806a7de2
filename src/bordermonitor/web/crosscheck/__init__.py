"""The cross-checking pages: the review queue, the pair page, decisions and undoing them, the record page's
panel on the incident's sources, and cross-checks started in the background (docs/crosscheck.md)."""
