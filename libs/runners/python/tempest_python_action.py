"""Runs one StackStorm Python action: python3 tempest_python_action.py <file>.

Reads {"parameters", "config", "pack", "log_level"} as JSON on stdin, makes
the action with `self.action_service` on the datastore, calls its
run(**parameters), and writes {"ok", "result"} (or {"ok": false, "error",
"traceback"}) as JSON to file descriptor 3, so the action's own stdout and
stderr stay its output.
"""
import importlib.util
import inspect
import json
import logging
import os
import sys
import traceback

from st2common.runners.base_action import Action, get_action_logger
from st2common.services.datastore import ActionDatastoreService


def load_action_class(path):
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [c for _, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, Action) and c is not Action and c.__module__ == module.__name__]
    if len(classes) != 1:
        raise TypeError(f"{os.path.basename(path)} must define exactly one Action subclass, found {len(classes)}")
    return classes[0]


def create_action(action_class, config, pack):
    service = ActionDatastoreService(logger=get_action_logger(action_class.__name__), pack_name=pack, class_name=action_class.__name__)
    try:
        return action_class(config=config, action_service=service)
    except TypeError:
        # As StackStorm allows: an action whose __init__ takes only the config.
        action = action_class(config=config)
        action.action_service = service
        return action


def main():
    request = json.load(sys.stdin)
    out = os.fdopen(3, "w")
    try:
        logging.getLogger("tempest.action").setLevel(getattr(logging, request.get("log_level", "DEBUG"), logging.DEBUG))
        action = create_action(load_action_class(sys.argv[1]), request.get("config") or {}, request.get("pack", ""))
        value = action.run(**request.get("parameters", {}))
        # StackStorm: a 2-tuple whose first item is a bool is (succeeded, result).
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool):
            ok, value = value
        else:
            ok = True
        json.dump({"ok": ok, "result": value}, out, default=str)
    except Exception as error:  # the action's failure is reported, not raised
        json.dump({"ok": False, "error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()}, out)
        traceback.print_exc()
    finally:
        out.close()


if __name__ == "__main__":
    main()
