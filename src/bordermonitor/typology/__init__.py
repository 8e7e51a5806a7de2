"""Versioned vocabularies (violence typology, causes of death) as data files."""
