"""Evidence files: the sealed store of originals (and later derivatives, encryption, integrity checks)."""
