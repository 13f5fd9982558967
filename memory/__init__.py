"""Persistence: the project store on disk, its Git history, and (later) semantic memory."""
