"""Widgets only (STYLE.md): one visible thing per module.

Modules are imported directly (`from wan27_desktop.ui.generation_panel import GenerationPanel`);
this package imports nothing so that loading one widget never pulls in every other one.
"""
