"""Publication pages: a report's public version (reviewers), and the coordinators' Publish page."""
