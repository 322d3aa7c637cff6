from .progress import announce, finished, phase, register, track

__all__ = ["announce", "finished", "phase", "register", "track"]
