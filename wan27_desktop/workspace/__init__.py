"""The workspace model: what the window shows and does, without widgets (QtCore only).

`Workspace` holds the draft being put together (`draft.py`), where requests go and what is known
about that (`service.py`), the jobs of this window (`jobs.py`) and the actions on them. Panels bind
to its observable properties (`properties.py`, after Krita AI Diffusion's `model/properties.py`);
`MainWindow` keeps the layout, the menus and the first paint.
"""
