"""Built-in document parsers (each module is a plugin)."""
