"""Widgets only: one visible thing per module, in folders that match what a user sees.

    generate/  the generation panel      gallery/  the thumbnail grid      viewer/  the large view
    jobs/      the job queue             dialogs/  every dialog            window/  the main window
    common/    theme, shared widgets, background work, thumbnails

Modules are imported directly (`from wan27_desktop.ui.generate.panel import GenerationPanel`);
this package imports nothing so that loading one widget never pulls in every other one.
"""
