"""One submission in a process of its own: started in its own process group, so that at the
time limit the whole group (the script's children too) can be killed, on POSIX and Windows."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# --- running one process ----------------------------------------------------------------------


class Processes:
    """The children running now, so that Ctrl-C (or an error) can end every one of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.stopping = False

    def start(self, command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
        with self._lock:
            if self.stopping:
                raise KeyboardInterrupt
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                **_own_group(),
            )
            self._running.add(process)
            return process

    def done(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)

    def kill_all(self) -> None:
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for process in running:
            kill_group(process)


def _own_group() -> dict:
    # A group of its own, so that killing it ends whatever the script started too, and the
    # terminal's Ctrl-C reaches only us (we then end the children ourselves).
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_group(process: subprocess.Popen) -> None:
    """End a child and every process it started (its process group; a tree on Windows)."""
    if process.poll() is not None:
        return
    if os.name == "nt":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    else:
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()  # in case the group call missed it


def _environment(language: str) -> dict[str, str]:
    package_root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        # the same tf1_mnist as ours, whatever folder the child starts in
        "PYTHONPATH": package_root + (os.pathsep + path if path else ""),
        # plt.show() must not open a window or wait for one to close
        "MPLBACKEND": "Agg",
        "LANGUAGE": language,
    }


def run_child(
    processes: Processes, command: list[str], cwd: Path, timeout: float, language: str
) -> tuple[int | None, str, str, float]:
    """Run a child to its end or its time limit: (status or None, stdout, stderr, seconds)."""
    started = time.monotonic()
    process = processes.start(command, cwd, _environment(language))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        status: int | None = process.returncode
    except subprocess.TimeoutExpired:
        kill_group(process)
        stdout, stderr = process.communicate()
        status = None
    finally:
        processes.done(process)
    text = [(b or b"").decode("utf-8", errors="replace") for b in (stdout, stderr)]
    return status, text[0], text[1], time.monotonic() - started


def cli_command(language: str, *args: str) -> list[str]:
    # --lang before the command: after a script, it would be one of the script's arguments
    return [sys.executable, "-m", "tf1_mnist", "--lang", language, *args]
