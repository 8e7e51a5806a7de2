"""The open-data release: what may be published, anonymised, checked and switched on atomically."""
