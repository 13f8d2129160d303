"""The large image viewer, its details panel and the compare view."""
