"""Built-in output formats (each module is a plugin)."""
