"""The Reports page of the coordinators: monthly and annual reports made in the background, and their files."""
