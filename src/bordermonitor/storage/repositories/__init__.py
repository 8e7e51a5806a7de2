"""Every query of the project lives in a repository here."""
