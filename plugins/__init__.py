"""rhetlint's built-in category rule sets, one plugin module per category."""
