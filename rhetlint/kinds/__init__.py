"""Built-in rule kinds (each module is a plugin)."""
