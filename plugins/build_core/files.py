"""Write a file whole or not at all: the one way the build replaces a file others may be reading."""

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path with data in one rename; a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # One temporary name per process, so two builds saving the same cache file never share one;
    # the suffix replaced, so the manifest pruning recognises a leftover (<key>.tmp-<pid>).
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
