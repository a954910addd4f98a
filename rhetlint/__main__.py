"""``python -m rhetlint``."""

from rhetlint.script import main

main()
