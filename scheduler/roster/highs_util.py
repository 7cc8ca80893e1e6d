"""HiGHS helpers shared by the LP selection and the LP bound."""

from __future__ import annotations

import os
import sys

import highspy


def quiet_highs() -> highspy.Highs:
    """A Highs instance without the copyright banner its constructor prints to stdout, and with
    its log off."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def set_threads(h: highspy.Highs, threads: int) -> None:
    """Set HiGHS' thread count. HiGHS keeps one global task scheduler per process and refuses
    to run (status error, no solution) when a later instance asks for another thread count, so
    the scheduler is reset first."""
    highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("threads", int(threads))
