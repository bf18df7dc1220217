"""Cloudify's operation exceptions; raised out of a script they end the operation as in Cloudify.

An uncaught NonRecoverableError fails the operation without retries; OperationRetry and a
RecoverableError with retry_after ask for a retry. Anything else is a failed process, which the
script plugin reports (and which is retried like any recoverable error).
"""

import sys


class NonRecoverableError(Exception):
    """The operation failed and must not be retried."""


class RecoverableError(Exception):
    """The operation failed and may be retried, after `retry_after` seconds if given."""

    def __init__(self, message='', retry_after=None, *args, **kwargs):
        super(RecoverableError, self).__init__(message, *args)
        self.retry_after = retry_after


class OperationRetry(RecoverableError):
    """The operation asks to run again (ctx.operation.retry)."""


class HttpException(NonRecoverableError):
    pass


class CommandExecutionException(Exception):
    pass


class ProcessExecutionError(RuntimeError):
    pass


def _report(exc_type, value, tb):
    from cloudify._proxy import call
    message = str(value)
    try:
        if issubclass(exc_type, NonRecoverableError):
            call('abort_operation', message)
        elif issubclass(exc_type, RecoverableError):
            call('retry_operation', message, getattr(value, 'retry_after', None))
    finally:
        _previous_hook(exc_type, value, tb)


_previous_hook = sys.excepthook


def install_hook():
    """Reports Cloudify exceptions that end the script to the operation's ctx proxy."""
    if sys.excepthook is not _report:
        sys.excepthook = _report
