"""The gallery: filters, the thumbnail grid and its model, the trash, image actions."""
