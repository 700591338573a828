"""What every headless command shares: exit codes, an argparse that returns instead of exiting,
SIGTERM turned into an exception (so every ``finally`` removes its temporary file), the JSON
summary on stdout, terminal-safe paths, and :func:`run_command` — parse, log set-up, the signal
handler and the mapping of every outcome to its exit code. ``inspector-export`` and
``inspector-playtest`` both run through it, so they answer failures the same way.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_WRITER_FAILED = 3
EXIT_PUBLISH_FAILED = 4
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class ArgumentError(Exception):
    """Bad arguments or input found while running: exit 2 with the message."""


class Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments as exit code 2 with a message, without exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ArgumentError(message)


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that every ``finally`` (temporary files) runs."""


def on_sigterm(signum, frame):  # pragma: no cover - exercised by the kill tests in a subprocess
    raise Terminated()


def print_json(doc: Any) -> None:
    """The summary as JSON on stdout; undecodable file-name bytes appear as ``\\udcXX`` escapes
    and numbers of any size as JavaScript would print them, so this never fails."""
    from inspector_app.core.export.csvfmt import json_pretty
    data = (json_pretty(doc) + "\n").encode("utf-8", "surrogatepass")
    sys.stdout.flush()
    sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode("utf-8"))
    sys.stdout.flush()


def shown(path: Any) -> str:
    """A path fit for the terminal: undecodable bytes shown as ``\\xNN``."""
    text = os.fsdecode(path) if isinstance(path, (bytes, os.PathLike)) else str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def run_command(prog: str, parser: argparse.ArgumentParser, argv: Sequence[str] | None,
                run: Callable[[argparse.Namespace, threading.Event], int], *, log: logging.Logger,
                kept: str = "files", before_run: Callable[[], None] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) and call ``run(args, cancel)``; every way it can
    end becomes its documented exit code with one line on stderr, never a traceback.

    ``kept`` names what stays on disk after an interrupt ("files", "artifacts").
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(args_list)
    except ArgumentError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        print(parser.format_usage().rstrip(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.ERROR if getattr(args, "quiet", False) else logging.WARNING,
                            stream=sys.stderr, format=f"[{prog}] %(levelname)s %(message)s")
    cancel = threading.Event()
    if before_run is not None:
        before_run()
    previous = None
    if threading.current_thread() is threading.main_thread():
        import signal
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        return run(args, cancel)
    except Terminated:
        cancel.set()
        print(f"{prog}: terminated; files already written were kept, nothing is half-written", file=sys.stderr)
        return EXIT_TERMINATED
    except ArgumentError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        cancel.set()
        print(f"{prog}: interrupted; {kept} already written were kept, nothing is half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        print(f"{prog}: internal error: {type(exc).__name__}: {shown(exc)}", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if previous is not None:
            import signal
            signal.signal(signal.SIGTERM, previous)
