"""Stable fingerprints: of values, of the settings, and of the code and theme a build runs with."""

import dataclasses
import datetime as dt
import functools
import hashlib
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path

# Packages whose version changes what a build writes.
PACKAGES = (
    "pelican",
    "markdown",
    "jinja2",
    "markupsafe",
    "babel",
    "nh3",
    "pillow",
    "pillow-heif",
    "icalendar",
    "feedgenerator",
    "pagefind-bin",
)
# Settings that change where or how a build works, never what it writes: two builds differing only
# in them share their caches. (Run state is never in the settings: see build_core.core.Build.)
SETTINGS_NOT_WRITTEN = frozenset(
    {
        "OUTPUT_PATH",  # where the site goes, not what it is
        "CACHE_PATH",  # where the caches are
        "BUILD_WORKERS",  # how many processes share the work: the pages are the same bytes
        "EDITOR_LANGUAGE",  # the language of the build's messages, not of anything it writes
    }
)


class UnstableError(TypeError):
    """A value has no stable fingerprint: whatever depends on it is always made anew."""


# Type tests made once: a build fingerprints every page's arguments, a hundred thousand values.
_NUMBERS = (bool, int, float)
_TIMES = (dt.datetime, dt.date, dt.time)
_SEQUENCES = (list, tuple)
_SETS = (set, frozenset)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def fingerprint_of(value, objects=None, memo: dict[int, str] | None = None) -> str:
    """Return a text that is equal for equal values from one run to the next: the value's fingerprint.

    `objects(value)` may return a text for values it knows (content objects); others raise UnstableError.
    `memo` (by id) gives a list, mapping or dataclass met again the fingerprint worked out the first
    time: for values that stay alive and unchanged while it is used (one page's arguments).
    """
    if isinstance(value, str):  # Markup too: the same text is the same page
        return repr(str(value))
    if value is None or isinstance(value, _NUMBERS):
        return repr(value)
    if objects is not None:
        known = objects(value)
        if known is not None:
            return known
    if memo is None:
        return _composite_fingerprint(value, objects, None)
    known = memo.get(id(value))
    if known is None:
        known = memo[id(value)] = _composite_fingerprint(value, objects, memo)
    return known


def _composite_fingerprint(value, objects, memo: dict[int, str] | None) -> str:
    return _kind_of(type(value))(value, objects, memo)


def _sequence(value, objects, memo) -> str:
    return "[" + ",".join([fingerprint_of(item, objects, memo) for item in value]) + "]"


def _mapping(value, objects, memo) -> str:
    items = sorted(
        (fingerprint_of(k, objects, memo), fingerprint_of(v, objects, memo)) for k, v in value.items()
    )
    return "{" + ",".join([f"{k}:{v}" for k, v in items]) + "}"


def _bytes(value, objects, memo) -> str:
    return hashlib.sha256(value).hexdigest()


def _time(value, objects, memo) -> str:
    return f"{type(value).__name__}({value.isoformat()}{getattr(value, 'tzinfo', None) or ''})"


def _path(value, objects, memo) -> str:
    return f"Path({value.as_posix()!r})"


def _set(value, objects, memo) -> str:
    return "{" + ",".join(sorted(fingerprint_of(item, objects, memo) for item in value)) + "}"


def _dataclass(value, objects, memo) -> str:
    cls = type(value)
    fields = ",".join(
        [f"{name}={fingerprint_of(getattr(value, name), objects, memo)}" for name in _field_names(cls)]
    )
    return f"{cls.__qualname__}({fields})"


def _unstable(value, objects, memo) -> str:
    raise UnstableError(f"no stable fingerprint for {type(value).__qualname__}")


# How each type is fingerprinted, worked out on its first value: a page's arguments hold thousands
# of values of a dozen types, and testing each against the ABCs costs more than fingerprinting it.
_KINDS: dict[type, Callable] = {}
# The kinds by base class, tried in order (str and numbers never get here: fingerprint_of takes them first).
_BY_BASE = (
    (_SEQUENCES, _sequence),
    (Mapping, _mapping),
    (bytes, _bytes),
    (_TIMES, _time),
    (Path, _path),
    (_SETS, _set),
)


def _kind_of(cls: type) -> Callable:
    kind = _KINDS.get(cls)
    if kind is None:
        kind = next((kind for bases, kind in _BY_BASE if issubclass(cls, bases)), None)
        if kind is None:
            kind = _dataclass if dataclasses.is_dataclass(cls) else _unstable
        _KINDS[cls] = kind
    return kind


def setting_fingerprint(value) -> str:
    """Like fingerprint_of(), for settings: functions and classes by name, other objects by type."""

    def named(item):
        if callable(item) and hasattr(item, "__qualname__"):
            return f"{getattr(item, '__module__', '')}.{item.__qualname__}"
        if not isinstance(
            item,
            str | bytes | int | float | bool | type(None) | Mapping | list | tuple | set | frozenset | Path,
        ) and not (dataclasses.is_dataclass(item) or isinstance(item, dt.date | dt.time)):
            return f"<{type(item).__qualname__}>"
        return None

    return fingerprint_of(value, named)


def digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def settings_fingerprint(settings: Mapping) -> str:
    return digest(
        *(
            f"{key}={setting_fingerprint(settings[key])}"
            for key in sorted(settings)
            if key not in SETTINGS_NOT_WRITTEN
        )
    )


def _tree_files(root: Path) -> Iterable[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@functools.lru_cache(maxsize=8)
def _folders_fingerprint(folders: tuple[str, ...], stamps: tuple) -> str:
    hasher = hashlib.sha256()
    for folder in folders:
        root = Path(folder)
        for path in _tree_files(root) if root.is_dir() else []:
            hasher.update(path.relative_to(root).as_posix().encode())
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def folders_fingerprint(folders: Iterable[str]) -> str:
    """Return a fingerprint of every file's bytes under the folders (plugins, theme)."""
    folders = tuple(str(Path(f).absolute()) for f in folders)
    # Remembered for as long as no file in them changes (livereload builds many times in one process).
    stamps = tuple(
        (p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
        for folder in folders
        if Path(folder).is_dir()
        for p in _tree_files(Path(folder))
    )
    return _folders_fingerprint(folders, stamps)


@functools.cache
def packages_fingerprint() -> str:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return digest(sys.version, *versions)


def build_fingerprint(settings: Mapping) -> str:
    """Return what every output of a build depends on: settings, plugin and theme files, packages."""
    folders = [*settings.get("PLUGIN_PATHS", []), settings.get("THEME", "")]
    return digest(
        settings_fingerprint(settings), folders_fingerprint(f for f in folders if f), packages_fingerprint()
    )
