"""The generation panel: prompt, reference images with region boxes, parameters, palette, the Generate button."""
