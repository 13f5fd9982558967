"""Auteur's domain core: the film model, stages, Fountain and the rules of the craft.

This package imports only the standard library and pydantic.
"""
