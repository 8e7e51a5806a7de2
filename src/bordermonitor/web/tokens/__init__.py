"""The API token page: create personal tokens for the private API, see when they were used, revoke them."""
