"""Internals of `reader.matcher`: the index and the ambiguity rule."""
