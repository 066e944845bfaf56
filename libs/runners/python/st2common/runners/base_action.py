"""The base class StackStorm Python actions subclass, as Tempest provides it."""
import logging
import sys

__all__ = ["Action"]


class _UnavailableActionService:
    """StackStorm's datastore service; Tempest's datastore is not reachable from actions yet."""

    def __getattr__(self, name):
        def unavailable(*_args, **_kwargs):
            raise RuntimeError(f"action_service.{name}: the datastore is not available to Python actions in this version of Tempest")

        return unavailable


class Action:
    """Subclass it and implement run(**parameters); return a value or an (ok, result) tuple."""

    def __init__(self, config=None, action_service=None):
        self.config = config or {}
        self.action_service = action_service or _UnavailableActionService()
        self.logger = _logger(type(self).__name__)

    def run(self, **kwargs):
        raise NotImplementedError("the action must implement run()")


def _logger(name):
    logger = logging.getLogger(f"tempest.action.{name}")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger
