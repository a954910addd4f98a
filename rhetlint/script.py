"""The ``rhetlint`` script's entry point (and ``python -m rhetlint``'s).

The cyclic garbage collector is paused while the command imports its modules
and loads its rules, and resumed once those long-lived objects are frozen out
of its way (`rhetlint.cli`): otherwise some 50 collections walk them during
start-up, about 5 ms of a small file's run.
"""

from __future__ import annotations


def main() -> None:
    """Run the ``rhetlint`` command in this process."""
    import gc

    gc.disable()
    from rhetlint import cli

    cli.resume_collector_after_load = True
    cli.main()
