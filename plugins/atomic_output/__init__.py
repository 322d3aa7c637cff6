from .atomic_output import (
    BuildFailed,
    OutputBusy,
    OutputNotWritten,
    Unchanged,
    current_output,
    expire_output_at,
    register,
)
from .output import BuildOutput

__all__ = [
    "BuildFailed",
    "BuildOutput",
    "OutputBusy",
    "OutputNotWritten",
    "Unchanged",
    "current_output",
    "expire_output_at",
    "register",
]
