"""Errors a user can cause; the command line prints their message as one line and exits 1."""


class Tf1MnistError(Exception):
    """A problem the user can fix; its message is one sentence saying what and how."""


class ConfigError(Tf1MnistError, ValueError):
    """A setting has a value that cannot work (a ValueError, as the legacy loader raised)."""


class DataError(Tf1MnistError):
    """The MNIST files are missing, unreadable, corrupt or cannot be downloaded."""


class OutputError(Tf1MnistError):
    """The run folder cannot be written without overwriting something."""


class DtypeError(ConfigError, TypeError):
    """An images dtype the loader cannot make (a TypeError, as TensorFlow 1's loader raised)."""
