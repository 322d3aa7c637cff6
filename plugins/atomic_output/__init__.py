from .atomic_output import BuildFailed, current_output, register
from .output import BuildOutput

__all__ = ["BuildFailed", "BuildOutput", "current_output", "register"]
