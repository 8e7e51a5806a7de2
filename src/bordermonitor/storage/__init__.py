"""The Django app that owns models, migrations and every query (repositories), with organisation scoping."""
