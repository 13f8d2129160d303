"""Batches in the app (issue 17): the New Batch dialog and its preview (dialog.py), a window per
batch with its progress and rows (progress.py), the list of batches (batches.py), and the glue to
the main window (controller.py)."""
