"""The build core: one Build per Pelican instance, its run, its workers, and Pelican behind one seam."""


def register():
    # Imported here, not above: atomic_output and incremental import build_core's lower modules
    # (files, stores, workers), which must load without the run machinery that imports them back.
    from .build_core import register as register_build_core

    register_build_core()
