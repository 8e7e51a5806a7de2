"""The pure domain core: records, vocabularies, validation, normalisation, statistics. No Django here."""
