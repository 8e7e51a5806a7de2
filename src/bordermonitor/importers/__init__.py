"""One module per external format; each streams a file into core records and never touches the ORM."""
