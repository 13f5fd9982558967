"""Fountain screenplay format: parse into typed elements and write back."""

from studio.fountain.elements import Element, ElementType, FountainDocument, TitleField, plain_text
from studio.fountain.parser import parse
from studio.fountain.writer import write

__all__ = ["Element", "ElementType", "FountainDocument", "TitleField", "parse", "plain_text", "write"]
