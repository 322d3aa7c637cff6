"""The staging output and its one-step commit (output.py), and what stops it (atomic_output.py).

A library of the build core (plugins/build_core), which runs each build through it: not a plugin.
"""

from .atomic_output import BuildFailed, OutputBusy, OutputNotWritten, Unchanged
from .output import BuildOutput

__all__ = ["BuildFailed", "BuildOutput", "OutputBusy", "OutputNotWritten", "Unchanged"]
