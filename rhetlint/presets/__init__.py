"""Built-in configuration presets for ``extends:``."""
