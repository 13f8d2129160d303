"""The generation stage: placeholders where results will land, the newest result large, and the
Generate area's line about running jobs."""
