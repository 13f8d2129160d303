"""The main window: layout, menus, status bar; it composes the panels of the other packages."""
