"""One StackStorm Python sensor, in a process of its own under Tempest's sensor container.

The container spawns it with Node's IPC channel (the socket NODE_CHANNEL_FD
names; one JSON message per line) and sends `start` (the sensor's module,
class, config and triggers), `triggers` (added and removed), `reply` (to the
sensor service's calls) and `stop`. The sensor service's calls (dispatch, the
datastore) go back to the container, which holds the database and the
sensor's lease. Standard library only: packs need nothing installed for it.

Threads: the main one runs the sensor (setup, then run() or the poll loop);
a reader takes the container's messages; the trigger hooks run on a thread of
their own, so that a hook may call the sensor service while the reader waits
for the answer.
"""
import datetime
import importlib.util
import json
import logging
import os
import queue
import signal
import socket
import sys
import threading
import traceback

from st2common.constants.keyvalue import FULL_SYSTEM_SCOPE, SYSTEM_SCOPE
from st2common.services.datastore import KeyValuePair
from st2reactor.sensor.base import PollingSensor

STOP_GRACE_SECONDS = 5
DEFAULT_POLL_INTERVAL_SECONDS = 60
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR, "fatal": logging.CRITICAL}


class Channel:
    """Node's IPC channel, JSON serialization: one message per line, both ways."""

    def __init__(self, fd):
        self._socket = socket.socket(fileno=fd)
        self._lines = self._socket.makefile("rb")
        self._lock = threading.Lock()

    def send(self, message):
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        with self._lock:
            self._socket.sendall(data)

    def messages(self):
        for line in self._lines:
            if line.strip():
                yield json.loads(line)


class JsonLineHandler(logging.Handler):
    """Log records as the container's own lines (`{"level": ...}` JSON on stdout), which it passes through."""

    def __init__(self, ref):
        super().__init__()
        self._ref = ref

    def emit(self, record):
        try:
            line = {
                "level": {logging.WARNING: "warn", logging.CRITICAL: "fatal"}.get(record.levelno, record.levelname.lower()),
                "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "service": "sensors",
                "pid": os.getpid(),
                "sensor": self._ref,
                "logger": record.name,
                "msg": record.getMessage(),
            }
            if record.exc_info:
                line["err"] = {"message": str(record.exc_info[1]), "stack": "".join(traceback.format_exception(*record.exc_info))}
            sys.stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - a log line must never take the sensor down
            self.handleError(record)


class CallFailed(Exception):
    """The container refused a sensor service call; the message says why."""


class SensorService:
    """StackStorm's sensor_service: dispatch, get_logger and the datastore (system scope)."""

    def __init__(self, runtime):
        self._runtime = runtime

    def get_logger(self, name):
        return self._runtime.logger(name)

    def dispatch(self, trigger, payload=None, trace_tag=None):
        return self._runtime.call("dispatch", self._runtime.trigger_for_dispatch(trigger), payload or {}, trace_tag)

    def dispatch_with_context(self, trigger, payload=None, trace_context=None):
        trace_tag = getattr(trace_context, "trace_tag", None)
        if trace_tag is None and isinstance(trace_context, dict):
            trace_tag = trace_context.get("trace_tag")
        return self.dispatch(trigger, payload, trace_tag)

    def list_values(self, local=True, prefix=None, limit=None, offset=0):
        values = [KeyValuePair({"name": v["name"], "value": v["value"], "secret": v["secret"], "scope": FULL_SYSTEM_SCOPE, "expire_timestamp": v.get("expireAt")}) for v in self._runtime.call("listValues", {"local": local, "prefix": prefix or ""})]
        values = values[offset:]
        return values[:limit] if limit else values

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        _system_only(scope)
        return self._runtime.call("getValue", name, {"local": local, "decrypt": decrypt})

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        _system_only(scope)
        if not isinstance(value, str):
            raise ValueError(f'set_value("{name}"): the value must be a string, not {type(value).__name__} (StackStorm\'s datastore keeps text)')
        options = {"local": local, "encrypt": encrypt}
        if ttl is not None:
            options["ttl"] = ttl
        self._runtime.call("setValue", name, value, options)
        return True

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        _system_only(scope)
        return self._runtime.call("deleteValue", name, {"local": local})


def _system_only(scope):
    if scope not in (SYSTEM_SCOPE, FULL_SYSTEM_SCOPE):
        raise ValueError(f'scope "{scope}": a sensor reads and writes system-scope keys only (it acts for no user)')


class Runtime:
    def __init__(self, channel):
        self._channel = channel
        self._starts = queue.Queue()
        self._hooks = queue.Queue()
        self._pending = {}
        self._pending_lock = threading.Lock()
        self._next_call = 1
        self._stopping = threading.Event()
        self._instance = None
        self._ref = "?"
        self._level = logging.INFO
        self._triggers = {}

    # The container's side -------------------------------------------------

    def read(self):
        try:
            for message in self._channel.messages():
                kind = message.get("kind")
                if kind == "start":
                    self._starts.put(message["start"])
                elif kind == "reply":
                    self._settle(message)
                elif kind == "triggers":
                    self._hooks.put(message)
                elif kind == "stop":
                    threading.Thread(target=self.stop, args=(0,), daemon=True).start()
        except Exception:  # noqa: BLE001 - a broken channel is the container gone
            pass
        # The container is gone (killed, crashed): nobody can take the events any more.
        self.stop(0)

    def call(self, method, *args):
        waiting = {"done": threading.Event()}
        with self._pending_lock:
            call_id = self._next_call
            self._next_call += 1
            self._pending[call_id] = waiting
        self._channel.send({"kind": "call", "id": call_id, "method": method, "args": list(args)})
        waiting["done"].wait()
        if not waiting["ok"]:
            raise CallFailed(f"sensor_service.{method}: {waiting['error']}")
        return waiting["value"]

    def _settle(self, message):
        with self._pending_lock:
            waiting = self._pending.pop(message["id"], None)
        if waiting is not None:
            waiting.update(ok=message["ok"], value=message.get("value"), error=message.get("error"))
            waiting["done"].set()

    # The sensor's side ----------------------------------------------------

    def logger(self, name):
        logger = logging.getLogger(f"tempest.sensor.{name}")
        if not logger.handlers:
            logger.addHandler(JsonLineHandler(self._ref))
            logger.propagate = False
        logger.setLevel(self._level)
        return logger

    def trigger_for_dispatch(self, trigger):
        """A trigger as the container takes it: StackStorm's dict {name, pack}, a type ref, or the ref of a trigger a rule asked for."""
        if isinstance(trigger, dict):
            if "type" in trigger:
                return {"type": trigger["type"], "parameters": trigger.get("parameters") or {}}
            return f'{trigger["pack"]}.{trigger["name"]}'
        known = self._triggers.get(trigger)
        return {"type": known["type"], "parameters": known["parameters"]} if known else trigger

    def _as_st2_trigger(self, trigger):
        pack, _, name = trigger["type"].partition(".")
        ref = f'{pack}.{trigger["id"]}'
        return {"id": trigger["id"], "uid": f"trigger:{ref}", "ref": ref, "name": trigger["id"], "pack": pack, "type": trigger["type"], "parameters": trigger.get("parameters") or {}}

    def _add(self, trigger):
        st2_trigger = self._as_st2_trigger(trigger)
        self._triggers[st2_trigger["ref"]] = st2_trigger
        self._instance.add_trigger(st2_trigger)

    def _remove(self, trigger):
        st2_trigger = self._as_st2_trigger(trigger)
        self._instance.remove_trigger(st2_trigger)
        self._triggers.pop(st2_trigger["ref"], None)

    def _run_hooks(self):
        try:
            while True:
                message = self._hooks.get()
                for trigger in message.get("removed", []):
                    self._remove(trigger)
                for trigger in message.get("added", []):
                    self._add(trigger)
        except Exception:  # noqa: BLE001
            self.fail()

    def run(self):
        start = self._starts.get()
        self._ref = start["ref"]
        self._level = _LEVELS.get(start.get("logLevel", "info"), logging.INFO)
        service = SensorService(self)
        sensor_class = _load_class(start["file"], start["className"])
        poll_interval = start.get("pollInterval") or DEFAULT_POLL_INTERVAL_SECONDS
        if issubclass(sensor_class, PollingSensor):
            self._instance = sensor_class(sensor_service=service, config=start.get("config") or {}, poll_interval=poll_interval)
        else:
            self._instance = sensor_class(sensor_service=service, config=start.get("config") or {})
        self._instance.setup()
        for trigger in start.get("triggers", []):
            self._add(trigger)
        threading.Thread(target=self._run_hooks, daemon=True).start()
        self._channel.send({"kind": "running"})
        if isinstance(self._instance, PollingSensor) and type(self._instance).run is PollingSensor.run:
            while not self._stopping.is_set():
                self._instance.poll()
                self._stopping.wait(float(self._instance.get_poll_interval() or poll_interval))
        else:
            self._instance.run()

    def stop(self, code):
        """cleanup(), then exit; a cleanup that hangs is cut short."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._instance is not None:
            cleanup = threading.Thread(target=self._cleanup, daemon=True)
            cleanup.start()
            cleanup.join(STOP_GRACE_SECONDS)
        sys.stdout.flush()
        os._exit(code)

    def wait_for_stop(self):
        """Once asked to stop, never returns: stop() ends the process. A sensor that ended by itself returns."""
        if self._stopping.is_set():
            threading.Event().wait()

    def _cleanup(self):
        try:
            self._instance.cleanup()
        except Exception:  # noqa: BLE001
            self.logger("runtime").warning("sensor cleanup failed", exc_info=True)

    def fail(self):
        error = sys.exc_info()[1]
        self.logger("runtime").error(f"sensor failed: {error}", exc_info=True)
        sys.stdout.flush()
        os._exit(1)


def _load_class(path, class_name):
    """The sensor class, from the module the metadata's entry_point names (its folder is on sys.path, as StackStorm has it)."""
    module_name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    sensor_class = getattr(module, class_name, None)
    if not isinstance(sensor_class, type):
        raise TypeError(f"{path} has no class {class_name} (the metadata's class_name)")
    return sensor_class


def main():
    runtime = Runtime(Channel(int(os.environ["NODE_CHANNEL_FD"])))
    # The container decides when a sensor stops: Ctrl-C reaches the whole process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=runtime.stop, args=(0,), daemon=True).start())
    threading.Thread(target=runtime.read, daemon=True).start()
    try:
        runtime.run()
    except Exception:  # noqa: BLE001
        runtime.fail()
    # Stopping: the stop's own thread runs cleanup() and exits the process; returning would end it first.
    runtime.wait_for_stop()


if __name__ == "__main__":
    main()
