"""``python -m rhetlint``."""

from rhetlint.cli import main

main()
