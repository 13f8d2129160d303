"""Qt-free DashScope client for Wan 2.7 image generation and editing.

Nothing in this package imports Qt: it is usable from the CLI, workers and tests alike.
"""
