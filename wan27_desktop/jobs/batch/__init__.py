"""Batches (issue 17): one instruction over many images, prompt lists and prompt matrices.

sources.py and matrix.py read a batch's rows (each checked before anything is sent); preview.py
totals them; journal.py writes the batch and every row's request to the library; scheduler.py runs
it at the account's limits (gate.py keeps each create to the send rate and rides out throttling);
export.py copies a batch out and draws a matrix's X/Y grid. A row becomes a normal job at its turn,
so everything the job journal guarantees holds for every row.
"""
