"""Dialogs: settings, key, welcome, about, shortcuts, library move, crash report."""
