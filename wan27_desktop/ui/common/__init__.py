"""Shared by every part of the window: theme and semantic colours, small widgets, background work,
thumbnails, small JSON stores."""
