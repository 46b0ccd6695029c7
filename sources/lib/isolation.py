"""Run a reader where a crash cannot take the run down: in a child process with limits on memory and CPU.

calamine (Rust) aborts the whole process when an allocation fails: a well-formed 2 KB .xlsx with one cell at
XFD1048576 makes it densify 1,048,576 × 16,384 cells (512 GiB) and the process dies with SIGABRT, exit 134
(tafia/calamine#693, open). No library option bounds it, so every delivered file is read in a child process whose
address space and CPU time are limited (RLIMIT_AS, RLIMIT_CPU, no core dump): a file that aborts, exhausts the
limit or loops ends that child only, and becomes a quarantine record.

The children are forked from one small server process per pipeline process and kind of work (`python -m
sources.lib.isolation readers`), started on first use with what that work needs imported, so a child costs a fork
(milliseconds), not an interpreter start. The readers' server imports the readers; the checks' server imports
great-expectations (seconds of import that would otherwise hold the pipeline process's interpreter lock while it
runs the steps before them), and a source check runs where a crash cannot take the run down either.
multiprocessing's forkserver would import the parent's `__main__` (the Dagster run) into every child, and a fork
of the pipeline process itself is unsafe (it has threads). The server has no threads: forking it is safe.

    run_isolated("sources.lib.ingest:_ingest_in_child", jobs, handle)  # handle(index, outcome) per job

An outcome is Returned(value), Raised(exception) or Crashed(status, the child's last stderr).

A child runs the jobs of one call one after another and reports each as it completes; when it dies, the job it
was running is Crashed and the remaining jobs go to a new child.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
_HEADER = struct.Struct("!Q")
# per kind of work: what a child needs, imported once by the server, and what the server runs once so that its
# children start warm
KINDS = {
    "readers": ("sources.lib.ingest", "sources.lib.ingest:_warm_reader"),
    "checks": ("sources.lib.expectations", "sources.lib.expectations:_import_great_expectations"),
}


def _die_with_parent() -> None:
    """Linux: be killed when the parent process ends, so no reader outlives the run that started it (a killed
    run's reader would go on writing raw files beside the next run's)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def memory_limit_bytes() -> int:
    """A child's address space: VC_READER_MEMORY_MIB, else half the machine's memory (at least 2 GiB)."""
    configured = os.environ.get("VC_READER_MEMORY_MIB")
    if configured:
        return int(float(configured) * 2**20)
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        physical = 8 * 2**30
    return max(2 * 2**30, physical // 2)


def cpu_limit_seconds() -> int:
    """A child's CPU time: VC_READER_CPU_S, else 600 s (the Europe-scale workbook takes about 7 s)."""
    return int(float(os.environ.get("VC_READER_CPU_S") or 600))


@dataclass(frozen=True)
class Returned:
    value: object


@dataclass(frozen=True)
class Raised:
    error: BaseException


@dataclass(frozen=True)
class Crashed:
    """The child died: killed by a signal (SIGABRT: an aborted allocation; SIGXCPU: the CPU limit; SIGKILL: the
    wall-clock limit or the kernel's OOM killer) or exited without reporting."""

    status: int  # os.waitpid status
    stderr_tail: str  # the start and the end of what the child wrote to stderr

    @property
    def signal_name(self) -> str | None:
        if os.WIFSIGNALED(self.status):
            try:
                return signal.Signals(os.WTERMSIG(self.status)).name
            except ValueError:
                return f"signal {os.WTERMSIG(self.status)}"
        return None

    @property
    def exit_code(self) -> int:
        return os.WEXITSTATUS(self.status) if os.WIFEXITED(self.status) else 128 + os.WTERMSIG(self.status)

    def describe(self, whose: str = "the reader's process") -> str:
        how = f"killed by {self.signal_name}" if self.signal_name else f"exited with code {self.exit_code}"
        return f"{whose} was {how} (exit {self.exit_code})"


Outcome = Returned | Raised | Crashed


# --------------------------------------------------------------------------------------------------------------
# framing: an 8-byte length, then a pickle


def _send(fh: object, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(_HEADER.pack(len(data)) + data)  # type: ignore[attr-defined]
    fh.flush()  # type: ignore[attr-defined]


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> object | None:
    """One message from a pipe, None at its end."""
    head = _read_exact(fd, _HEADER.size)
    if head is None:
        return None
    body = _read_exact(fd, _HEADER.unpack(head)[0])
    return None if body is None else pickle.loads(body)


# --------------------------------------------------------------------------------------------------------------
# the parent's side


class _Server:
    def __init__(self, kind: str) -> None:
        self.pid = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sources.lib.isolation", kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=_REPO,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(_REPO), os.environ.get("PYTHONPATH", "")]),
                "VC_ISOLATION_PARENT": str(os.getpid()),
            },
        )

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.process.poll() is None

    def close(self) -> None:
        self.hang_up()
        try:
            self.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:  # still importing (the run ended before it was needed): it holds nothing
            self.process.kill()
            self.process.wait()

    def hang_up(self) -> None:
        """Close the server's input: it exits when it reads the end."""
        with contextlib.suppress(OSError, ValueError):
            assert self.process.stdin is not None
            self.process.stdin.close()


class _ServerGone(Exception):
    pass


_servers: dict[str, _Server] = {}
_locks = {kind: threading.Lock() for kind in KINDS}


def _the_server(kind: str) -> _Server:
    server = _servers.get(kind)
    if server is None or not server.alive():
        server = _servers[kind] = _Server(kind)
    return server


@atexit.register
def _stop_servers() -> None:
    ours = [server for server in _servers.values() if server.pid == os.getpid()]
    for server in ours:  # all at once, then each waited for
        server.hang_up()
    for server in ours:
        server.close()
    _servers.clear()


def stop_servers() -> None:
    """End this process's servers once the calls in flight are done: before a step that needs none of them, so
    that what they hold (great-expectations, the readers' warm imports: 400 MiB at Europe scale) is not held
    beside dbt. A later call starts a new one. (At exit they end without waiting for the locks.)"""
    with contextlib.ExitStack() as held:
        for lock in _locks.values():
            held.enter_context(lock)
        _stop_servers()


def warm_up(kind: str = "readers") -> None:
    """Start the server of this kind of work now (it imports what its children need while the caller does other
    work)."""
    with _locks[kind]:
        _the_server(kind)


def workers() -> int:
    """Children a call may run side by side: VC_READER_WORKERS, else 2 (at most the cores): the follow-up's 48
    templates are read on both cores of a small machine; a single file is read by one child."""
    configured = os.environ.get("VC_READER_WORKERS")
    return max(1, int(configured) if configured else min(2, os.cpu_count() or 1))


def run_isolated(
    function: str,
    jobs: list[tuple[object, ...]],
    handle: Callable[[int, Outcome], None],
    wall_s: float | None = None,
    kind: str = "readers",
) -> None:
    """Run `function` ("module:name") on each job's arguments in limited children (up to `workers()` side by
    side) of the server of `kind` (KINDS); `handle(index, outcome)` each job's outcome as it comes (in completion
    order). An error raised by `handle` stops the call and its children."""
    wall_s = wall_s if wall_s is not None else 2.0 * cpu_limit_seconds()
    with _locks[kind]:
        remaining, restarts = list(range(len(jobs))), 0
        while remaining:
            server = _the_server(kind)
            try:
                done = _one_request(server, function, jobs, remaining, wall_s, handle)
                remaining = [i for i in remaining if i not in done]
            except _ServerGone:  # not the files' doing (the server was killed): the rest once more, on a new one
                _servers.pop(kind, None)
                restarts += 1
                if restarts > 1:
                    raise RuntimeError(f"the isolated {kind}' server ended unexpectedly, twice") from None
            except BaseException:
                # the server may be mid-request: never reuse it
                with contextlib.suppress(OSError):
                    server.process.kill()
                server.close()
                _servers.pop(kind, None)
                raise


def _one_request(
    server: _Server,
    function: str,
    jobs: list[tuple[object, ...]],
    remaining: list[int],
    wall_s: float,
    handle: Callable[[int, Outcome], None],
) -> set[int]:
    """Send the remaining jobs to the server, split among children, and handle what they report; the jobs done.
    When a child dies, the first job of its share it had not reported is the one that killed it (Crashed); the
    rest of its share is left for the next request."""
    assert server.process.stdin is not None and server.process.stdout is not None
    count = min(workers(), len(remaining))
    shares = [remaining[w::count] for w in range(count)]
    request = {
        "function": function,
        "shares": [[(i, jobs[i]) for i in share] for share in shares],
        "env": dict(os.environ),
        "memory": max(2 * 2**30, memory_limit_bytes() // count),
        "cpu": cpu_limit_seconds(),
    }
    try:
        _send(server.process.stdin, request)
    except (BrokenPipeError, ValueError):
        raise _ServerGone from None
    out = server.process.stdout.fileno()
    pids: dict[int, int] = {}
    heard: dict[int, float] = {}  # each running child's last report
    done: set[int] = set()
    while True:
        timeout = max(
            0.0, min((heard[w] + wall_s for w in heard), default=time.monotonic() + wall_s) - time.monotonic()
        )
        ready, _, _ = select.select([out], [], [], timeout)
        if not ready:  # a child silent past the wall-clock limit: kill it; the server then reports its end
            for w, last in list(heard.items()):
                if time.monotonic() - last >= wall_s:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pids[w], signal.SIGKILL)
                    heard[w] = time.monotonic() + 30.0 - wall_s  # its end is due now
            continue
        message = _receive(out)
        if message is None:
            raise _ServerGone
        kind = message[0]
        if kind == "started":
            pids[message[1]] = message[2]
            heard[message[1]] = time.monotonic()
        elif kind in ("returned", "raised"):
            worker, index, value = message[1], message[2], message[3]
            heard[worker] = time.monotonic()
            handle(index, Returned(value) if kind == "returned" else Raised(value))
            done.add(index)
        elif kind == "exit":
            worker, status, tail = message[1], message[2], message[3]
            heard.pop(worker, None)
            unreported = [i for i in shares[worker] if i not in done]
            if unreported:
                if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                    raise RuntimeError("the isolated reader's child ended without reporting every job")
                handle(unreported[0], Crashed(status, tail))
                done.add(unreported[0])
        elif kind == "done":
            return done


# --------------------------------------------------------------------------------------------------------------
# the server's and the child's side


def _describe(error: BaseException) -> BaseException:
    """An exception the parent can unpickle (the original when it pickles; else its type, message, traceback)."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))[-4000:]
        return RuntimeError(f"{type(error).__name__}: {error}\n{text}")


def _child(request: dict[str, object], worker: int, results: int, stderr_fd: int) -> None:
    os.dup2(stderr_fd, 2)
    os.dup2(stderr_fd, 1)  # the server's stdout is the protocol: a stray print must not reach it
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.environ.clear()
    os.environ.update(request["env"])  # type: ignore[arg-type]
    os.environ["RUST_BACKTRACE"] = "0"  # an abort's message, not pages of backtrace
    memory, cpu = int(request["memory"]), int(request["cpu"])  # type: ignore[call-overload]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a core of the attempt
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    module, name = str(request["function"]).split(":")
    function = getattr(importlib.import_module(module), name)
    with os.fdopen(results, "wb") as out:
        for index, args in request["shares"][worker]:  # type: ignore[index]
            try:
                message = ("returned", worker, index, function(*args))
            except BaseException as exc:  # every outcome goes back to the parent, which decides
                message = ("raised", worker, index, _describe(exc))
            _send(out, message)


def _stderr_said(err: object) -> str:
    """The start and the end of what a child wrote to stderr (Rust's "memory allocation of … failed" first)."""
    err.seek(0, os.SEEK_END)  # type: ignore[attr-defined]
    size = err.tell()  # type: ignore[attr-defined]
    err.seek(0)  # type: ignore[attr-defined]
    said = err.read(1000)  # type: ignore[attr-defined]
    if size > 2000:
        err.seek(size - 1000)  # type: ignore[attr-defined]
        said += b"\n...\n"
    said += err.read(1000)  # type: ignore[attr-defined]
    return said.decode("utf-8", "replace")


def _serve(kind: str) -> None:
    _die_with_parent()
    if str(os.getppid()) != os.environ.get("VC_ISOLATION_PARENT"):
        return  # the parent ended before the line above took effect
    preload, warm = KINDS[kind]
    if kind == "checks":
        # its import runs while ingest reads the first large files: at the lowest priority it takes only the CPU
        # the readers leave (a process of its own, so no lock to invert, unlike a low-priority thread); its
        # children inherit it, and they run while the pipeline waits for them (docs/benchmarks.md)
        os.nice(19)
    importlib.import_module(preload)
    module, name = warm.split(":")
    with contextlib.suppress(Exception):  # only a head start: a child does without it
        getattr(importlib.import_module(module), name)()
    stdin, stdout = sys.stdin.buffer.fileno(), sys.stdout.buffer
    while True:
        request = _receive(stdin)
        if request is None:
            return  # the parent is gone
        children: dict[int, tuple[int, int, object]] = {}  # result pipe -> (worker, pid, stderr file)
        for worker in range(len(request["shares"])):  # type: ignore[index]
            read_end, write_end = os.pipe()
            err = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the child's end is reported)
            pid = os.fork()
            if pid == 0:  # the child
                code = 0
                try:
                    _die_with_parent()
                    os.close(read_end)
                    for other in children:
                        os.close(other)
                    _child(request, worker, write_end, err.fileno())  # type: ignore[arg-type]
                except BaseException:
                    traceback.print_exc()
                    code = 70
                finally:
                    os._exit(code)
            os.close(write_end)
            children[read_end] = (worker, pid, err)
            _send(stdout, ("started", worker, pid))
        while children:
            ready, _, _ = select.select(list(children), [], [])
            for fd in ready:
                message = _receive(fd)
                if message is not None:
                    _send(stdout, message)
                    continue
                worker, pid, err = children.pop(fd)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                said = _stderr_said(err)
                err.close()  # type: ignore[attr-defined]
                _send(stdout, ("exit", worker, status, said))
        _send(stdout, ("done",))


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):  # the parent went away
        _serve(sys.argv[1] if len(sys.argv) > 1 else "readers")
    # every message went out flushed, and the children are reaped: no teardown of the imported libraries (pandas,
    # Arrow, great-expectations), which kept the pipeline waiting for the server's end
    os._exit(0)
