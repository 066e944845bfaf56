"""The base class StackStorm Python actions subclass, as Tempest provides it."""
import logging
import sys

__all__ = ["Action"]


class Action:
    """
    Subclass it and implement run(**parameters); return a value or an (ok, result) tuple.
    `self.action_service` is the datastore (st2common.services.datastore.ActionDatastoreService).
    """

    def __init__(self, config=None, action_service=None):
        self.config = config or {}
        self.action_service = action_service
        self.logger = get_action_logger(type(self).__name__)

    def run(self, **kwargs):
        raise NotImplementedError("the action must implement run()")


def get_action_logger(name):
    """The logger of the action class `name`, writing to stderr (the execution's output)."""
    logger = logging.getLogger(f"tempest.action.{name}")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger
