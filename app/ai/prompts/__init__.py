"""Versioned prompt templates. A template never changes once released: a new wording is a
new version (recipe_v2.py), so stored results can say which prompt made them."""
