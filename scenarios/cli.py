"""``peakplan`` command line: each pipeline step alone, or the whole run.

Errors in the input (missing column, negative volume, unknown scenario key, contradictory rules,
bad encoding, empty file, a bad flag) print one line naming the file, row and field (or the
flag), and exit with code 2 without writing any output. Ctrl-C and SIGTERM print one line and
leave nothing behind. ``--debug`` shows the traceback of unexpected errors. The flags live in
``cli_args.py``, the commands in ``cli_commands.py``; the heavy packages are imported inside
``main``'s error handling, so even an interrupt while they load is one line.

A roster the independent validator flags is written all the same, and the command exits with
``EXIT_VIOLATIONS`` (3), naming each violated rule, its count and agents on stderr; weekly
minimums the scenario accepts (``[rules] soft_weekly_minimums``) are a warning and exit 0
(scenarios.violations).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence

from scenarios import interrupts
from scenarios.cli_args import UsageError, build_parser
from scenarios.interrupts import Terminated
from scenarios.io import one_line

EXIT_INPUT = 2
EXIT_INTERNAL = 1
#: The roster breaks a labour rule (outputs written; scenarios.violations).
EXIT_VIOLATIONS = 3
__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_VIOLATIONS", "Terminated", "UsageError", "main"]


def _input_errors() -> tuple[type[BaseException], ...]:
    """Exception types that mean "the user's input is wrong" (exit 2, one line)."""
    from pydantic import ValidationError

    from forecast.errors import ForecastInputError
    from scenarios.io import InputFileError
    from scenarios.load import ScenarioError
    from scheduler.errors import SchedulerInputError

    return (
        InputFileError,
        ScenarioError,
        ForecastInputError,
        SchedulerInputError,
        UsageError,
        ValidationError,
        OSError,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``peakplan`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    restore = interrupts.install()
    known: tuple[type[BaseException], ...] = (UsageError,)
    try:
        known = _input_errors()
        from scenarios.cli_commands import COMMANDS, input_context

        with input_context(args):
            code = COMMANDS[args.command](args)
        # a signal whose exception a finaliser swallowed (scenarios.interrupts)
        interrupts.raise_if_signalled()
        return code
    except Terminated:
        print("peakplan: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except known as exc:
        if args.debug:
            raise
        print(f"peakplan: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("peakplan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        from scheduler.roster import interrupt_behind

        signalled = interrupt_behind(exc)
        if signalled is not None:  # Ctrl-C inside compiled code surfaces as a SystemError
            term = isinstance(signalled, Terminated)
            print(f"peakplan: {'terminated' if term else 'interrupted'}", file=sys.stderr)
            return 128 + signal.SIGTERM if term else 130
        if args.debug:
            raise
        print(f"peakplan: internal error: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
        print("peakplan: rerun with --debug for the traceback", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if restore is not None:
            # the command is over (outputs complete or cleaned up): as a script, a Ctrl-C
            # during interpreter shutdown ends the process as a signal death, not as a
            # KeyboardInterrupt that an atexit callback swallows with a traceback and exit 0
            restore(argv is None)


if __name__ == "__main__":
    sys.exit(main())
