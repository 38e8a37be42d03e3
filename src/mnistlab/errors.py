"""Errors a user can cause; the CLI prints their message as one line and exits non-zero."""


class MnistlabError(Exception):
    """A problem the user can fix; its message is one sentence saying what and how."""


class ConfigError(MnistlabError):
    """A setting has a value that cannot work."""


class DataError(MnistlabError):
    """The MNIST files are missing, unreadable, corrupt or cannot be downloaded."""


class ModelError(MnistlabError):
    """A saved model is missing or is not one mnistlab can use."""


class OutputError(MnistlabError):
    """The run folder cannot be written without overwriting something."""


class ImageError(MnistlabError):
    """An image to classify cannot be read or holds no digit."""
