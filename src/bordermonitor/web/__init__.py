"""The Django project: settings, URLs and the staff pages."""
