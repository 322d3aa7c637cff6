from .atomic_output import BuildFailed, Unchanged, current_output, expire_output_at, register
from .output import BuildOutput

__all__ = ["BuildFailed", "BuildOutput", "Unchanged", "current_output", "expire_output_at", "register"]
