"""Atomic output: a file appears complete or not at all, and a command's files all or none.

Every writer goes through `atomic_path`: the data goes to a temporary file beside the
target, renamed over it only when complete, with the target's permissions when it
existed. Inside `output_batch()` the renames wait until the whole block has succeeded, so
a command that writes several files (a graph and its summary, a map and its image, an
analysis folder, the demo) leaves either all new files or none, and earlier outputs
intact, and folders it created are removed again. A batch also remembers every file the
command read (`note_input`), and no output may land on one of them, whatever the spelling
(a folder output's file, a symlink, a hard link): writing it would destroy the input.
`install_signal_cleanup()` turns SIGTERM into the same clean exit as Ctrl-C, so no
temporary file is left behind either way.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from graphkit.errors import InputError

# The renames a batch holds back: (temporary path, target).
_BATCH: contextvars.ContextVar[list | None] = contextvars.ContextVar("graphkit_batch",
                                                                    default=None)
# The files the batch's command read: real path -> (as the user gave it, device and inode).
_INPUTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("graphkit_inputs",
                                                                     default=None)
# The folders the batch created, removed again (when empty) if it fails.
_FOLDERS: contextvars.ContextVar[list | None] = contextvars.ContextVar("graphkit_folders",
                                                                      default=None)


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def note_input(path: str | Path) -> None:
    """Remember that the current command reads `path`, so no output may replace it."""
    inputs = _INPUTS.get()
    if inputs is not None:
        inputs[os.path.realpath(path)] = (str(path), _identity(path))


def check_not_input(target: str | Path) -> None:
    """Refuse an output path that names a file the command reads (by any spelling)."""
    inputs = _INPUTS.get() or {}
    real, identity = os.path.realpath(target), _identity(target)
    for path, (given, other) in inputs.items():
        if real == path or (identity is not None and identity == other):
            raise InputError(f"cannot write {target}: it is the input {given}, and writing it "
                             "would destroy the input; give another output name")


def make_folder(path: str | Path) -> Path:
    """Create an output folder (and its parents); inside a batch, one that fails removes
    the folders it created."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"cannot write into {folder}: it is a file, not a folder; give a "
                         "folder name")
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create folder {folder}: {exc.strerror}") from None
    created = _FOLDERS.get()
    if created is not None:
        created.extend(missing)  # deepest first
    return folder


def _check_parent(path: Path) -> None:
    if not path.parent.exists():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: {path.parent} is a file, not a folder")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The existing file's permissions, else the usual mode for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it over `path` only on success (at the
    end of the enclosing `output_batch`, if any)."""
    target = Path(path)
    if target.is_symlink() and not _special(target):  # write through the link: the link
        # stays, the file it names changes (a link to a device is opened as it is)
        target = Path(os.path.realpath(target))
    _check_parent(target)
    check_not_input(target)
    batch = _BATCH.get()
    if batch is not None and any(os.path.realpath(t) == os.path.realpath(target)
                                 for _, t in batch):
        raise InputError(f"cannot write {target} twice: two outputs of this command have "
                         "that name; give each its own")
    try:  # a device or pipe (/dev/null, /dev/stdout) gets its copy at the end instead
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                   dir=None if _special(target) else target.parent)
    except OSError as exc:  # the folder refuses new files: say so of the target
        raise InputError(f"cannot write {target}: {exc.strerror}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _mode_for(target))  # mkstemp makes 0600
    try:
        yield tmp_path
        if batch is None:
            _commit(tmp_path, target)
        else:
            batch.append((tmp_path, target))
    finally:
        held = batch is not None and (tmp_path, target) in batch
        if tmp_path.exists() and not held:
            tmp_path.unlink()


def _special(target: Path) -> bool:
    """True for an existing target that is no regular file: a device or a pipe."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _commit(tmp: Path, target: Path) -> None:
    """Put a finished temporary file in place: renamed over a file; copied into a device
    or pipe, which a rename would replace (a rename over /dev/null removes the device)."""
    if _special(target):
        with open(tmp, "rb") as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink)
        tmp.unlink()
    else:
        os.replace(tmp, target)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path` for writing; rename it into place on success.

    Text mode always writes UTF-8, whatever the platform's default encoding.
    """
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with open(tmp, mode, **kwargs) as handle:
            yield handle


@contextlib.contextmanager
def output_batch() -> Iterator[None]:
    """Hold back every rename inside the block and do them all at its end; on any failure
    remove the temporary files, so no new output stays and earlier ones are untouched."""
    if _BATCH.get() is not None:  # nested: the outer batch decides
        yield
        return
    pending: list = []
    folders: list[Path] = []
    tokens = _BATCH.set(pending), _INPUTS.set({}), _FOLDERS.set(folders)
    try:
        yield
        for _, target in pending:  # inputs read after an output was opened count too
            check_not_input(target)
    except BaseException:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in folders:  # deepest first; a folder someone filled meanwhile stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        _FOLDERS.reset(tokens[2])
        _INPUTS.reset(tokens[1])
        _BATCH.reset(tokens[0])
    try:
        for tmp, target in pending:
            _commit(tmp, target)
    finally:  # a rename that failed (a full disk) leaves no temporary file behind
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()


_QUIET = False  # set while a failure is being reported


def install_signal_cleanup() -> None:
    """Make SIGTERM unwind like Ctrl-C (KeyboardInterrupt), so temporary files go; both do
    nothing once `signals_quiet()` was called."""
    global _QUIET
    _QUIET = False

    def stop(_signum, _frame):
        if not _QUIET:
            raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not in the main thread (e.g. a notebook)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)


def signals_quiet() -> None:
    """The command is reporting its failure and exiting: a signal now would only print a
    second message (the temporary files are gone already)."""
    global _QUIET
    _QUIET = True
