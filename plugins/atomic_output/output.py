"""What one build writes, what it keeps from the previous build's output, and how the two are committed.

A build writes new and changed files into a staging folder. A plugin that knows a file of the previous
output is still right (the page's inputs did not change) keeps it instead of writing it again. When the
build succeeds, the kept files (and the OUTPUT_RETENTION entries, such as .git) are hard-linked into the
staging folder, which then holds the whole new site, and the staging folder and the output folder trade
places in one renameat2(RENAME_EXCHANGE) call: at every instant the output folder is the whole previous
site or the whole new one. The old tree is kept beside the output folder as the spare (output.spare).

The next build brings the spare up to date instead of making a new tree: it drops what the new site
lacks, moves the staged files in and links each kept file that is not already the output's own file, then
the spare and the output folder trade places. Making a whole tree anew would create every folder of the
site again (each page is a folder: tens of thousands on an archive), which costs more than the rest of
an edit's build; the spare needs new folders only for new pages. The spare is never served, so a build
killed while updating it leaves the output folder as it was, and the next build mends the spare.

The list of the output's files (the manifest) names the folder it describes by its device and inode.
The new manifest is saved as "pending" before the exchange and renamed over the current one after it;
a later build trusts whichever of the two names the folder that is the output now, so a build killed at
any point leaves a manifest the next build can use (and nothing to clean by hand).

Where renameat2 is missing (not Linux, glibc older than 2.28) or refused (some file systems answer
EINVAL), the exchange falls back to two renames, and a build killed between them leaves no output
folder at all (the next build then makes the whole site): atomic only where renameat2 works.
"""

import ctypes
import datetime as dt
import errno
import fcntl
import hashlib
import logging
import os
import pickle
import re
import secrets
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from build_core.files import write_atomically
from l10n import messages  # messages._(…): `_` names unused loop values here

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 2

# Folders next to the output folder: output.partial-<pid>-<token> (a build's staging folder, and the
# old tree after the exchange), output.old-<pid>-<token> (the old tree where two renames swap).
STAGING = ".partial-"
RETIRED = ".old-"
# output.spare: the site as it was before the last build, brought up to date and swapped in by the next.
SPARE = ".spare"

# Test hook: ATOMIC_OUTPUT_FAULT=<step> makes the build kill itself with SIGKILL at that step of the
# commit (<step>:stop stops it with SIGSTOP instead, for a test to start a second build meanwhile).
FAULT_VARIABLE = "ATOMIC_OUTPUT_FAULT"
COMMIT_STEPS = ("staged", "linking", "pending-manifest", "exchange", "exchanged", "manifest", "removing")


@dataclass(frozen=True)
class Record:
    """One output file as the build that made it left it: enough to notice a later hand edit."""

    size: int
    mtime_ns: int
    digest: str | None = None  # sha256 of the bytes, when somebody asked for it
    inputs: str | None = None  # a key of what the file was made from, given by the plugin that wrote it


def file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def record_of(path: Path, digest: str | None = None, inputs: str | None = None) -> Record:
    stat = path.stat()
    return Record(stat.st_size, stat.st_mtime_ns, digest, inputs)


def walk_files(root: Path, skip: set[str] = frozenset()) -> Iterator[str]:
    """Yield the relative paths (with /) of all files under root, but not under the top entries in skip."""
    for name, _entry in walk_entries(root, skip):
        yield name


def walk_entries(root: Path, skip: set[str] = frozenset()) -> Iterator[tuple[str, os.DirEntry]]:
    """Yield (relative path with /, directory entry) for all files under root, as walk_files."""
    # Plain strings: a Path per folder costs more than listing it.
    top = str(root)
    stack = [""]
    while stack:
        relative = stack.pop()
        with os.scandir(f"{top}/{relative}" if relative else top) as entries:
            for entry in entries:
                if not relative and entry.name in skip:
                    continue
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(name)
                else:
                    yield name, entry


@dataclass
class Manifest:
    """The files of an output folder as the last successful build left them."""

    output: str
    files: dict[str, Record] = field(default_factory=dict)
    version: int = MANIFEST_VERSION
    inputs: str | None = None  # a key of everything the build read, given by a plugin (incremental)
    expires: dt.datetime | None = None  # when the clock alone changes the output (upcoming events)
    folder: tuple[int, int] | None = None  # (st_dev, st_ino) of the folder that holds these files


def fault_point(step: str) -> None:
    """Kill (or stop) this process here if the ATOMIC_OUTPUT_FAULT test hook names this commit step."""
    wanted = os.environ.get(FAULT_VARIABLE)
    if wanted == step:
        os.kill(os.getpid(), signal.SIGKILL)
    elif wanted == f"{step}:stop":
        os.kill(os.getpid(), signal.SIGSTOP)


def folder_identity(folder: Path) -> tuple[int, int]:
    """Return what tells this folder from any other existing now: its device and inode."""
    status = os.stat(folder, follow_symlinks=False)
    return status.st_dev, status.st_ino


def manifest_path(cache_path: Path, output: Path) -> Path:
    """Return where the manifest of an output folder is kept (one per output folder)."""
    name = hashlib.sha256(str(output).encode()).hexdigest()[:16]
    return cache_path / "output" / f"{name}.manifest"


def output_cache_entry(cache_path: Path, output: Path, kind: str) -> Path:
    """Return where a plugin keeps a file or folder for one output folder (pruned with its manifest)."""
    return manifest_path(cache_path, output).with_suffix(f".{kind}")


def pending_path(manifest_file: Path) -> Path:
    """Return where a commit keeps the new manifest until the new folder is the output."""
    return manifest_file.with_suffix(".pending")


def lock_path(cache_path: Path, output: Path) -> Path:
    """Return the lock file a build holds while it writes an output folder."""
    return manifest_path(cache_path, output).with_suffix(".lock")


def hold_lock(path: Path, patience: float = 0.0) -> int | None:
    """Lock the lock file at path (made if missing); return its descriptor, None if held past patience (s)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + patience
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)
            continue
        except BaseException:
            os.close(descriptor)
            raise
        # The pruning removes lock files it holds: the file locked may no longer be the one at path.
        try:
            if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)


def lock_holder(path: Path) -> tuple[str, str]:
    """Return the process id and the output folder a lock file names (empty where it names none)."""
    try:
        text = path.read_bytes()[:8192].decode("utf-8", "replace")
    except OSError:
        return "", ""
    process, _, folder = text.partition("\n")
    return process.strip(), folder.rstrip("\n")


def note_lock_holder(descriptor: int, final: Path) -> None:
    """Write into a held lock file which process holds it, for which output folder."""
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n{final}\n".encode(), 0)


# cache/output/<hash of the output folder's path>.<kind>; .tmp-<pid> is a manifest being saved.
# An output folder's files in the cache folder, all named by its key: its manifest (and the next one
# while a build commits), its lock, and what plugins keep for it (output_cache_entry).
CACHE_FILE = re.compile(r"([0-9a-f]{16})\.[\w.-]+")


def prune_manifests(cache_path: Path, keep: Path) -> int:
    """Remove the cache files of output folders that are gone; return how many folders' files went.

    keep's files stay, and those of a folder whose lock a build holds (it may be about to make the
    folder). Only a missing folder's manifest goes: it names its folder by inode, so it could never
    describe a folder made later at the same path. A folder that exists keeps its manifest however old.
    """
    folder = cache_path / "output"
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return 0
    groups: dict[str, list[str]] = {}
    for name in names:
        if match := CACHE_FILE.fullmatch(name):
            groups.setdefault(match[1], []).append(name)
    groups.pop(manifest_path(cache_path, keep).stem, None)
    pruned = 0
    for key, group in groups.items():
        lock = folder / f"{key}.lock"
        output = output_named(folder, key)
        if output is not None and os.path.lexists(output):
            continue
        descriptor = hold_lock(lock)
        if descriptor is None:  # a build is writing it now
            continue
        try:
            # Looked at again under the lock: a build may have named or made the folder meanwhile.
            if output is None:
                output = output_named(folder, key)
            if output is not None and os.path.lexists(output):
                continue
            for name in group:
                if name != lock.name:
                    clear(str(folder / name))
            lock.unlink(missing_ok=True)  # last, and held: a build that opened it takes a new one
            pruned += 1
        finally:
            os.close(descriptor)
    return pruned


def output_named(folder: Path, key: str) -> Path | None:
    """Return the output folder whose files in the cache folder are named key, or None if none says."""
    output = lock_holder(folder / f"{key}.lock")[1]
    if output:
        return Path(output)
    # A lock file of an older build names the process only: the manifests name their folder too.
    for kind in ("manifest", "pending"):
        manifest = read_manifest(folder / f"{key}.{kind}")
        if manifest is not None:
            return Path(manifest.output)
    return None


def read_manifest(path: Path) -> Manifest | None:
    """Return the manifest saved at path, or None when it is missing, damaged or of another version."""
    try:
        with path.open("rb") as stream:
            manifest = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    if not isinstance(manifest, Manifest) or manifest.version != MANIFEST_VERSION:
        return None
    return manifest


def load_manifest(cache_path: Path, output: Path) -> Manifest | None:
    """Return the manifest of the folder that is the output now, or None when there is none to trust.

    A commit killed after the exchange left its manifest pending: it is the one that names the folder.
    A folder no manifest names (an output restored from CI's cache, or copied with its files' times)
    is trusted when it holds every file a manifest lists, as that build left it.
    """
    try:
        identity = folder_identity(output)
    except OSError:
        return None
    current = manifest_path(cache_path, output)
    pending = pending_path(current)
    manifests = {path: read_manifest(path) for path in (pending, current)}
    manifests = {path: m for path, m in manifests.items() if m is not None and m.output == str(output)}
    for path, manifest in manifests.items():
        if manifest.folder == identity:
            # One manifest is left, the true one: a stale one could otherwise be taken for a later folder
            # that gets its freed inode number. Pending and true: a commit was killed after its exchange.
            if path == pending:
                pending.replace(current)
            else:
                pending.unlink(missing_ok=True)
            return manifest
    for manifest in manifests.values():
        if holds_as_recorded(output, manifest):
            return replace(manifest, folder=identity)
    return None


def holds_as_recorded(output: Path, manifest: Manifest) -> bool:
    """Tell whether every file a manifest lists is a file in output with the size and time it records."""
    for name, record in manifest.files.items():
        try:
            status = os.stat(output / name, follow_symlinks=False)
        except OSError:
            return False
        if not stat.S_ISREG(status.st_mode) or (status.st_size, status.st_mtime_ns) != (
            record.size,
            record.mtime_ns,
        ):
            return False
    return True


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Write a manifest to path whole or not at all."""
    write_atomically(path, pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL))


class BuildOutput:
    """The output of the running build: the staging folder, plus what it keeps from the previous output."""

    def __init__(self, staging: Path, final: Path, previous: Manifest | None):
        self.staging = staging
        self.final = final
        self.previous = previous  # None: nothing can be kept, everything is written anew
        self.kept: dict[str, Record] = {}
        self._digests: dict[str, str] = {}
        self._inputs: dict[str, str] = {}
        self.inputs: str | None = None
        self.expires: dt.datetime | None = None

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def _intact(self, relative: str) -> Record | None:
        """Return the previous record of a file if the file is still as that build left it."""
        record = self.previous.files.get(relative) if self.previous else None
        if record is None:
            return None
        try:
            stat = os.stat(f"{self.final}/{relative}")
        except OSError:
            return None
        return record if (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns) else None

    def keep(self, relative: str) -> bool:
        """Keep a file, or every file of a folder, of the previous output as it is.

        Returns False (and keeps nothing) when the previous output does not hold it intact:
        the caller then writes it anew.
        """
        relative = relative.strip("/")
        if self.previous is None:
            return False
        record = self._intact(relative)
        if record is not None:
            self.kept[relative] = record
            return True
        prefix = f"{relative}/"
        names = [name for name in self.previous.files if name.startswith(prefix)]
        records = {name: self._intact(name) for name in names}
        if not names or any(record is None for record in records.values()):
            return False
        self.kept.update(records)
        return True

    def expires_at(self, moment: dt.datetime) -> None:
        """Say that this build's output is wrong from moment on, even with no change to its inputs."""
        self.expires = moment if self.expires is None else min(self.expires, moment)

    def unchanged_since_previous(self, inputs: str, now: dt.datetime, retained: list[str]) -> bool:
        """Tell whether the previous output is what this build would write: same inputs, not expired,
        and every file as that build left it, none missing, none added."""
        previous = self.previous
        if previous is None or previous.inputs != inputs:
            return False
        if previous.expires is not None and now >= previous.expires:
            return False
        # One pass: each file's kind and times come with the folder listing (a link is never intact).
        records, seen = previous.files, 0
        for name, entry in walk_entries(self.final, skip={name.strip("/") for name in retained}):
            record = records.get(name)
            if record is None or not entry.is_file(follow_symlinks=False):
                return False
            stat = entry.stat(follow_symlinks=False)
            if (stat.st_size, stat.st_mtime_ns) != (record.size, record.mtime_ns):
                return False
            seen += 1
        return seen == len(records)

    def previous_inputs(self, relative: str) -> str | None:
        """Return the inputs key the previous build noted for a file (see note_inputs)."""
        record = self.previous.files.get(relative.strip("/")) if self.previous else None
        return record.inputs if record else None

    def note_inputs(self, relative: str, inputs: str) -> None:
        """Note what a file of this build is made from; the next build compares it to decide to keep it."""
        self._inputs[relative.strip("/")] = inputs

    def keep_if_unchanged(self, relative: str, inputs: str) -> bool:
        """Keep a file of the previous output if it was made from the same inputs; note them either way."""
        self.note_inputs(relative, inputs)
        return self.previous_inputs(relative) == inputs and self.keep(relative)

    def find(self, relative: str) -> Path | None:
        """Return where a file of this build is now: staged, or kept in the previous output.

        Files promised to the build (pages rendered late) must be made first (Build.settle).
        """
        relative = relative.strip("/")
        staged = self.staging / relative
        if staged.is_file():
            return staged
        if relative in self.kept:
            return self.final / relative
        return None

    def digest(self, relative: str) -> str | None:
        """Return the sha256 of a file of this build (remembered between builds for kept files)."""
        relative = relative.strip("/")
        if relative in self._digests:
            return self._digests[relative]
        kept = self.kept.get(relative)
        # Asked for every page search indexes: a plain string, not a Path, for each.
        if kept is not None and kept.digest is not None and not os.path.isfile(f"{self.staging}/{relative}"):
            return kept.digest
        location = self.find(relative)
        if location is None:
            return None
        self._digests[relative] = file_digest(location)
        return self._digests[relative]

    # --- when the build succeeded -----------------------------------------------------------

    def staged_records(self) -> dict[str, Record]:
        return {
            name: record_of(self.staging / name, self._digests.get(name), self._inputs.get(name))
            for name in walk_files(self.staging)
        }

    def commit(self, cache_path: Path, retained: list[str]) -> None:
        """Make the whole new site (in the spare, else in the staging folder), swap it in for the output
        folder, remember its files, and keep the old site as the next build's spare.

        An OSError before the exchange leaves the output folder as it was (the caller removes staging).
        """
        fault_point("staged")
        staged = self.staged_records()
        files = {**self.kept, **staged}
        kept = [name for name in self.kept if name not in staged]
        spare = spare_of(self.final)
        if self.previous is not None and is_folder(spare):
            update_spare(spare, self.final, self.staging, files, list(staged), kept, retained)
            tree = spare
        else:
            link_kept(self.final, self.staging, kept)
            carry_retained(self.final, self.staging, retained)
            tree = self.staging
        current = manifest_path(cache_path, self.final)
        pending = pending_path(current)
        identity = folder_identity(tree)
        manifest = Manifest(str(self.final), files, inputs=self.inputs, expires=self.expires, folder=identity)
        save_manifest(pending, manifest)
        fault_point("pending-manifest")
        fault_point("exchange")
        old = exchange(tree, self.final)
        fault_point("exchanged")
        pending.replace(current)
        fault_point("manifest")
        try:
            if tree == spare:  # the old site is the spare now; staging holds the staged files' folders
                remove_tree(self.staging, step="removing")
            elif old is not None:
                keep_as_spare(old, spare)
        except OSError as error:  # the new site is in place: a leftover is no reason to fail
            logger.warning(
                messages._(
                    "Could not tidy up beside the output at {folder} ({reason}); remove it by hand",
                    folder=str(old),
                    reason=error.strerror or str(error),
                )
            )


def spare_of(final: Path) -> Path:
    """Return where the spare of an output folder lives: beside it, on the same file system."""
    return final.with_name(f"{final.name}{SPARE}")


def is_folder(path: Path) -> bool:
    """Tell whether path is a folder itself, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def same_file(one: str, other: str) -> bool:
    """Tell whether two paths are the same file (hard links of one inode), never following a link."""
    try:
        first, second = os.lstat(one), os.lstat(other)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def clear(path: str) -> None:
    """Remove whatever is at path: a file, a link or a whole folder."""
    if os.path.isdir(path) and not os.path.islink(path):
        remove_tree(Path(path))
    elif os.path.lexists(path):
        os.unlink(path)


def make_parent(root: str, name: str, made: set[str]) -> None:
    """Make the folder a file of the new site goes in, once per folder, whatever stood in its way."""
    folder = name.rpartition("/")[0]
    if not folder or folder in made:
        return
    try:
        os.makedirs(f"{root}/{folder}", exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file where the new site has a folder
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            path = f"{root}/{'/'.join(parts[:depth])}"
            if os.path.lexists(path) and not is_folder(Path(path)):
                os.unlink(path)
        os.makedirs(f"{root}/{folder}", exist_ok=True)
    made.add(folder)


def put_link(source: str, target: str) -> None:
    """Make target a hard link of source (a copy where links cannot be made), replacing what was there."""
    clear(target)
    link_or_copy(source, target)


def drop_unwanted(root: str, wanted: dict, skip: set[str]) -> None:
    """Remove the files under root (outside the top entries in skip) that wanted lacks, and the folders
    that leaves empty."""
    emptied: set[str] = set()
    for name in walk_files(Path(root), skip=skip):
        if name not in wanted:
            os.unlink(f"{root}/{name}")
            emptied.add(name.rpartition("/")[0])
    # Deepest first, so a folder whose only content was an emptied folder goes too.
    for folder in sorted(emptied, key=lambda name: name.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(f"{root}/{folder}")
            except OSError:  # not empty (or already gone with a deeper one)
                break
            folder = folder.rpartition("/")[0]


def update_spare(
    spare: Path,
    final: Path,
    staging: Path,
    files: dict,
    staged: list[str],
    kept: list[str],
    retained: list[str],
) -> None:
    """Make the spare (an older site, or one a killed build left half done) the whole new site."""
    root, source, staged_root = str(spare), str(final), str(staging)
    retained_names = {name.strip("/") for name in retained}
    drop_unwanted(root, files, retained_names)
    made: set[str] = set()
    for name in staged:
        make_parent(root, name, made)
        if is_folder(Path(f"{root}/{name}")):
            clear(f"{root}/{name}")
        os.replace(f"{staged_root}/{name}", f"{root}/{name}")
    halfway = len(kept) // 2
    for number, name in enumerate(kept):
        if not same_file(f"{source}/{name}", f"{root}/{name}"):
            make_parent(root, name, made)
            put_link(f"{source}/{name}", f"{root}/{name}")
        if number == halfway:
            fault_point("linking")
    for name in retained_names:
        mirror(final / name, spare / name)


def mirror(source: Path, target: Path) -> None:
    """Make target hold the same files as source (hard links), for an OUTPUT_RETENTION entry."""
    if not os.path.lexists(source):
        clear(str(target))
        return
    if not is_folder(source):
        if not same_file(str(source), str(target)):
            put_link(str(source), str(target))
        return
    if os.path.lexists(target) and not is_folder(target):
        os.unlink(target)
    names = list(walk_files(source))
    if is_folder(target):
        drop_unwanted(str(target), dict.fromkeys(names), set())
    else:
        target.mkdir()
    made: set[str] = set()
    for name in names:
        if not same_file(f"{source}/{name}", f"{target}/{name}"):
            make_parent(str(target), name, made)
            put_link(f"{source}/{name}", f"{target}/{name}")


def keep_as_spare(old: Path, spare: Path) -> None:
    """Keep the old site (just swapped out) as the next build's spare, in place of any older one."""
    if os.path.lexists(spare):
        remove_tree(spare, step="removing")
    else:
        fault_point("removing")
    os.rename(old, spare)


def link_or_copy(source: str, target: str) -> None:
    """Hard-link source at target; copy it (times included) where a link cannot be made."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as error:
        # EXDEV: another file system; EPERM: an immutable file, or protected_hardlinks; EMLINK: too many.
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def link_kept(final: Path, staging: Path, names: list[str]) -> None:
    """Hard-link the files a build kept from the output folder into the staging folder."""
    # Plain strings: Path objects would cost as much again as the links (50,000 links take 0.5 s).
    source, target = str(final), str(staging)
    made: set[str] = set()
    halfway = len(names) // 2
    for number, name in enumerate(names):
        make_parent(target, name, made)
        link_or_copy(f"{source}/{name}", f"{target}/{name}")
        if number == halfway:
            fault_point("linking")


def carry_retained(final: Path, staging: Path, retained: list[str]) -> None:
    """Hard-link the OUTPUT_RETENTION entries (a .git folder) of the output folder into the staging one."""
    for name in (entry.strip("/") for entry in retained):
        source, target = final / name, staging / name
        if not os.path.lexists(source) or os.path.lexists(target):
            continue
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, target)


def _renameat2():
    """Return glibc's renameat2 (2.28 and later), or None where this C library lacks it."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(staging: Path, final: Path) -> Path | None:
    """Put staging in final's place in one step; return where final's old tree is now (None: no old tree).

    Where renameat2(RENAME_EXCHANGE) is missing or refused, two renames do it, and there is a moment
    without final.
    """
    if not os.path.lexists(final):
        os.rename(staging, final)
        return None
    renameat2 = _renameat2()
    if renameat2 is not None:
        if renameat2(AT_FDCWD, os.fsencode(staging), AT_FDCWD, os.fsencode(final), RENAME_EXCHANGE) == 0:
            return staging
        number = ctypes.get_errno()
        if number not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(number, os.strerror(number), str(final))
    retired = final.with_name(f"{final.name}{RETIRED}{os.getpid()}-{secrets.token_hex(4)}")
    os.rename(final, retired)
    os.rename(staging, final)
    return retired


def remove_tree(folder: Path, step: str | None = None) -> None:
    """Remove a folder with everything in it, read-only folders inside it included.

    step names the removal for the fault hook, which stops it with one entry gone.
    """
    if step is not None:
        with os.scandir(folder) as entries:
            first = next((entry for entry in entries if not entry.is_dir(follow_symlinks=False)), None)
        if first is not None:
            os.unlink(first.path)
        fault_point(step)
    try:
        shutil.rmtree(folder)
    except PermissionError:
        make_folders_writable(folder)
        shutil.rmtree(folder)


def make_folders_writable(folder: Path) -> None:
    """Give the owner every right on folder and the folders under it (what removing their files needs)."""
    os.chmod(folder, os.stat(folder).st_mode | stat.S_IRWXU)
    for root, folders, _ in os.walk(folder):
        for name in folders:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | stat.S_IRWXU)


def swap_in(staging: Path, final: Path, keep: list[str]) -> None:
    """Put staging in place of final in one exchange, carrying the entries in keep over; remove the old."""
    staging.mkdir(parents=True, exist_ok=True)
    carry_retained(final, staging, keep)
    old = exchange(staging, final)
    if old is not None:
        remove_tree(old)
